"""Reserved for the language-model helpers of issue 11, section 2: ``render_text(observation)``
(an observation as compact markdown) and ``tool_schemas()`` (one function-calling tool per action
type). Both will ask the server, which is to render observations and serve the tool definitions
itself so that every client and the built-in LLM agent share one renderer; the server does not do
either yet, so nothing is defined here. Until then, send observations to a model as JSON
(google.protobuf.json_format.MessageToJson), as examples/grpo_rollout.py does.
"""
