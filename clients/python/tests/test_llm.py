"""render_text() and tool_schemas() (incident_env.llm) against a live server: the server's
markdown rendering of observations for episodes asked to carry it, and the function-calling tools
of GetSchema, whose calls are actions the server accepts."""
import asyncio
import json
import unittest
from dataclasses import fields

from support import EASY_ROOT, EASY_SCENARIO, server_url, unique_id

from incident_env import (
    ACTION_WORDS,
    IncidentEnv,
    IncidentEnvBatch,
    Inspect,
    action_from_tool_call,
    render_text,
    tool_schemas,
)
from incident_env.aio import AsyncIncidentEnv


class RenderText(unittest.TestCase):
    def test_an_env_created_with_text_gets_every_observation_as_markdown(self):
        with IncidentEnv(server_url(), text=True) as env:
            observation, _ = env.reset("easy", scenario_id=EASY_SCENARIO, seed=11)
            text = render_text(observation)
            self.assertTrue(text.startswith("# Incident: step 0 of "), text[:80])
            for heading in ("## Page", "## Golden signals", "## Recent logs", "## Topology", "## Knowledge base"):
                self.assertIn(heading, text)
            self.assertIn(observation.alert.alert_id, text)
            step = env.step(Inspect(EASY_ROOT, reasoning="the pool"))
            stepped = render_text(step.observation)
            self.assertIn(f"## Inspection of {EASY_ROOT} (", stepped)
            self.assertNotIn("## Topology", stepped)  # a lean step carries no topology, nor does its text
            self.assertIn("## Topology", render_text(env.observation()))  # GetObservation is complete

    def test_the_same_seed_and_actions_give_the_same_text(self):
        texts = []
        for _ in range(2):
            with IncidentEnv(server_url()) as env:
                observation, _ = env.reset("medium", seed=23, text=True)
                step = env.step(Inspect(observation.alert.affected_services[0]))
                texts.append((render_text(observation), render_text(step.observation)))
        self.assertEqual(texts[0], texts[1])

    def test_an_observation_without_text_is_a_clear_error(self):
        with IncidentEnv(server_url()) as env:
            observation, _ = env.reset("easy", seed=3)
            self.assertFalse(observation.HasField("text"))
            with self.assertRaisesRegex(ValueError, r"carries no text.*text=True"):
                render_text(observation)
        with self.assertRaisesRegex(ValueError, "carries no text"):
            render_text({"step": 0, "text": None})  # REST JSON of an episode without text
        self.assertEqual(render_text({"text": "# Incident"}), "# Incident")
        with self.assertRaises(TypeError):
            render_text("# Incident")
        with self.assertRaisesRegex(ValueError, "text must be True or False"):
            with IncidentEnv(server_url()) as env:
                env.reset("easy", text="yes")

    def test_batches_and_asyncio_ask_for_text_too(self):
        with IncidentEnvBatch(server_url(), text=True) as batch:
            results = batch.reset([{"seed": 1}, {"seed": 2, "text": False}], task_level="easy")
            self.assertTrue(render_text(results[0].observation).startswith("# Incident"))
            self.assertFalse(results[1].observation.HasField("text"))

        async def play():
            async with AsyncIncidentEnv(server_url(), text=True) as env:
                observation, _ = await env.reset("easy", seed=4)
                return render_text(observation), await env.tool_schemas()

        text, tools = asyncio.run(play())
        self.assertTrue(text.startswith("# Incident: step 0 of "))
        self.assertEqual([t["function"]["name"] for t in tools], list(ACTION_WORDS))


class ToolSchemas(unittest.TestCase):
    def test_one_tool_per_action_type_in_the_openai_shape(self):
        tools = tool_schemas(server_url())
        self.assertEqual(sorted(t["function"]["name"] for t in tools), sorted(ACTION_WORDS))
        for tool in tools:
            self.assertEqual(set(tool), {"type", "function"})
            self.assertEqual(tool["type"], "function")
            self.assertEqual(set(tool["function"]), {"name", "description", "parameters"})
            parameters = tool["function"]["parameters"]
            self.assertEqual(parameters["type"], "object")
            self.assertFalse(parameters["additionalProperties"])
            # The fields of the typed action of the same name.
            self.assertEqual(set(parameters["properties"]), {f.name for f in fields(ACTION_WORDS[tool["function"]["name"]])})
        # Whole numbers stay integers (a Struct holds doubles): JSON Schema wants maxLength 4000, not 4000.0.
        diagnose = next(t for t in tools if t["function"]["name"] == "diagnose")
        reasoning = diagnose["function"]["parameters"]["properties"]["reasoning"]
        self.assertIsInstance(reasoning["maxLength"], int)
        json.dumps(tools)
        with IncidentEnv(server_url()) as env:
            self.assertEqual(tool_schemas(env), tools)
            self.assertEqual(env.tool_schemas(), tools)

    def test_a_tool_call_is_an_action_the_server_accepts(self):
        with IncidentEnv(server_url()) as env:
            env.reset("easy", scenario_id=EASY_SCENARIO, episode_id=unique_id("tools"))
            # What a chat API returns: the tool's name and its arguments as a JSON string.
            action = action_from_tool_call("inspect", json.dumps({"target_service": EASY_ROOT, "reasoning": "look"}))
            result = env.step(action)
            self.assertEqual(result.observation.step, 1)
            self.assertEqual(result.observation.inspection.service, EASY_ROOT)
        with self.assertRaisesRegex(ValueError, "unknown"):
            action_from_tool_call("inspect", {"target_sevice": EASY_ROOT})
        with self.assertRaisesRegex(ValueError, "not JSON"):
            action_from_tool_call("inspect", "{")
        with self.assertRaisesRegex(ValueError, "action_type is the tool's name"):
            action_from_tool_call("inspect", {"action_type": "resolve"})


if __name__ == "__main__":
    unittest.main()
