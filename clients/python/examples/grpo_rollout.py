#!/usr/bin/env python3
"""A rollout function for GRPO-style trainers: a prompt in, a trajectory and a reward out.

The policy is any OpenAI-compatible chat endpoint (vLLM's `vllm serve`, a hosted API, a local
server), reached with plain urllib: the only dependency is the incident_env package.

    rollout(prompt, chat=ChatModel(...), env_url="localhost:7860", seed=7) -> Rollout
        plays one episode: the prompt is the system prompt, each observation a user message,
        each reply one action; returns the messages, the steps and the episode's reward
        (its grade: the rewards of an episode sum to it).

    make_rollout_func(chat, env_url) -> rollout_func(prompts) -> dict of lists
        the batch shape of TRL's GRPOTrainer `rollout_func` and of similar loops: one rollout per
        prompt, and an "env_reward" field that `reward_from_env` hands back as the reward. (A
        TRL rollout_func must also return the token ids and logprobs of the completions, which
        come from the trainer's own generation backend, not from a chat endpoint; the episode
        plumbing is the same.)

GRPO compares the completions of one prompt with each other, so they must play the same
episode: unless a seed is given, it is derived from the prompt text (`seed_for`).

The model reads each observation as the server renders it for language models (`render_text`:
compact markdown, asked for with `IncidentEnv(url, text=True)`). It answers with one JSON action
in its reply, or, given the server's tool definitions (`ChatModel(..., tools=tool_schemas(url))`,
`--tools` on the command line; the endpoint must support function calling), with a tool call,
which is the action `{"action_type": name, **arguments}`.

    python3 grpo_rollout.py --env localhost:7860 --base-url http://localhost:8000/v1 --model my-model --seed 7 [--tools]
    (OPENAI_BASE_URL, OPENAI_API_KEY and MODEL_NAME are read when the flags are absent)
"""
from __future__ import annotations

import argparse
import json
import os
import re
import sys
import urllib.error
import urllib.request
import zlib
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field, fields
from typing import Any, Callable, Dict, List, Optional

from incident_env import ACTION_WORDS, IncidentEnv, IncidentEnvError, parse_action, render_text, tool_schemas


class ChatModel:
    """A chat model behind an OpenAI-compatible /chat/completions endpoint.

    tools: function-calling tool definitions (tool_schemas()); the model may then answer with a
    tool call, which comes back as the JSON of the action it stands for."""

    def __init__(
        self,
        base_url: str,
        model: str,
        api_key: Optional[str] = None,
        temperature: float = 1.0,
        timeout: float = 120.0,
        tools: Optional[List[Dict[str, Any]]] = None,
    ):
        self.url = base_url.rstrip("/") + "/chat/completions"
        self.model = model
        self.api_key = api_key
        self.temperature = temperature
        self.timeout = timeout
        self.tools = tools

    def __call__(self, messages: List[Dict[str, str]]) -> str:
        payload: Dict[str, Any] = {"model": self.model, "messages": messages, "temperature": self.temperature}
        if self.tools:
            payload["tools"] = self.tools
        body = json.dumps(payload).encode()
        headers = {"content-type": "application/json"}
        if self.api_key:
            headers["authorization"] = f"Bearer {self.api_key}"
        request = urllib.request.Request(self.url, data=body, headers=headers, method="POST")
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as response:
                answer = json.load(response)
        except urllib.error.HTTPError as error:
            detail = error.read().decode("utf-8", "replace")[:500]
            raise RuntimeError(f"{self.url} answered {error.code}: {detail}") from None
        message = answer["choices"][0]["message"]
        calls = message.get("tool_calls") or []
        if calls:
            # The first call is the action: {"action_type": its name, **its arguments}.
            call = calls[0]["function"]
            try:
                arguments = json.loads(call.get("arguments") or "{}")
            except json.JSONDecodeError:
                return call.get("arguments") or ""  # refused by parse_reply, with the reason, like any bad reply
            return json.dumps({**arguments, "action_type": call["name"]}) if isinstance(arguments, dict) else json.dumps(arguments)
        return message.get("content") or ""


def action_help() -> str:
    """The action types and the fields each takes, from the package's typed actions."""
    lines = []
    for word, cls in ACTION_WORDS.items():
        lines.append(f"- {word}: {', '.join(f.name for f in fields(cls))}. {(cls.__doc__ or '').split(chr(10))[0]}")
    return "\n".join(lines)


INSTRUCTIONS = """You respond to a production incident, one action per turn. Reply with exactly one JSON
object: {{"action_type": ..., and the fields of that action}}. The action types and their fields:
{actions}
Enum values are lower-case words, e.g. "fault_kind": "connection_pool_exhaustion",
"remediation": {{"kind": "rollback"}}, "severity_assessment": "P2"."""


def parse_reply(text: str) -> Any:
    """The action in a model's reply: the first JSON object in it (code fences allowed)."""
    match = re.search(r"\{.*\}", text, re.DOTALL)
    if match is None:
        raise ValueError("no JSON object in the reply")
    try:
        data = json.loads(match.group(0))
    except json.JSONDecodeError as error:
        raise ValueError(f"the reply's JSON does not parse: {error}") from None
    return parse_action(data)


def seed_for(prompt: str) -> int:
    """One episode per prompt: the completions of a GRPO group play the same seed."""
    return zlib.crc32(prompt.encode("utf-8"))


@dataclass
class Rollout:
    prompt: str
    episode_id: str
    #: The conversation: system, then observations (user) and replies (assistant).
    messages: List[Dict[str, str]]
    #: One entry per turn: the reply, and the action and its reward, or the reason it was refused.
    steps: List[Dict[str, Any]] = field(default_factory=list)
    #: The episode's reward: its grade if it ended, else 0.
    reward: float = 0.0
    terminated: bool = False
    truncated: bool = False

    @property
    def completion(self) -> str:
        """The model's side of the conversation, as one text."""
        return "\n".join(m["content"] for m in self.messages if m["role"] == "assistant")


def rollout(
    prompt: str,
    *,
    chat: Callable[[List[Dict[str, str]]], str],
    env_url: Optional[str] = None,
    task_level: str = "easy",
    seed: Optional[int] = None,
    max_turns: int = 30,
    api_key: Optional[str] = None,
    **reset_options: Any,
) -> Rollout:
    """Plays one episode with the chat model as the policy."""
    system = prompt.strip() + "\n\n" + INSTRUCTIONS.format(actions=action_help())
    # text=True: every observation comes with the server's markdown rendering (render_text).
    with IncidentEnv(env_url, api_key=api_key, text=True) as env:
        observation, info = env.reset(task_level, seed=seed if seed is not None else seed_for(prompt), **reset_options)
        result = Rollout(prompt, info["episode_id"], [{"role": "system", "content": system}, {"role": "user", "content": render_text(observation)}])
        for _ in range(max_turns):
            reply = chat(result.messages)
            result.messages.append({"role": "assistant", "content": reply})
            try:
                action = parse_reply(reply)
                step = env.step(action)
            except (ValueError, IncidentEnvError) as error:
                # A reply that is no valid action costs a turn, not a step: the model is told why.
                result.steps.append({"reply": reply, "error": str(error)})
                result.messages.append({"role": "user", "content": f"That is not a valid action: {error}. Reply with one JSON object."})
                continue
            result.steps.append({"reply": reply, "action": action.action_word, "reward": step.reward, "status": step.info["status"]})
            result.reward += step.reward
            if step.terminated or step.truncated:
                result.terminated, result.truncated = step.terminated, step.truncated
                break
            result.messages.append({"role": "user", "content": render_text(step.observation)})
        return result


def make_rollout_func(chat: Callable[[List[Dict[str, str]]], str], env_url: Optional[str] = None, concurrency: int = 8, **options: Any):
    """A batch rollout function: prompts in, one field per list out (one item per prompt)."""

    def rollout_func(prompts: List[str], *args: Any, **kwargs: Any) -> Dict[str, List[Any]]:
        with ThreadPoolExecutor(max_workers=max(1, min(concurrency, len(prompts)))) as pool:
            rollouts = list(pool.map(lambda p: rollout(p, chat=chat, env_url=env_url, **options), prompts))
        return {
            "prompt": [r.prompt for r in rollouts],
            "completion": [r.completion for r in rollouts],
            "env_reward": [r.reward for r in rollouts],
            "trajectory": [r.steps for r in rollouts],
        }

    return rollout_func


def reward_from_env(completions: List[Any], env_reward: List[float], **kwargs: Any) -> List[float]:
    """A GRPO reward function that returns the environment's reward of each rollout."""
    return list(env_reward)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--env", default=os.environ.get("INCIDENT_ENV_URL", "localhost:7860"), help="the environment (gRPC)")
    parser.add_argument("--base-url", default=os.environ.get("OPENAI_BASE_URL"), help="OpenAI-compatible endpoint, ending in /v1")
    parser.add_argument("--model", default=os.environ.get("MODEL_NAME"))
    parser.add_argument("--task", default="easy", help="easy, medium, hard or expert")
    parser.add_argument("--seed", type=int, default=None)
    parser.add_argument("--max-turns", type=int, default=30)
    parser.add_argument("--tools", action="store_true", help="offer the server's tool definitions (function calling)")
    args = parser.parse_args()
    if not args.base_url or not args.model:
        parser.error("--base-url and --model (or OPENAI_BASE_URL and MODEL_NAME) are required")
    tools = tool_schemas(args.env) if args.tools else None
    chat = ChatModel(args.base_url, args.model, api_key=os.environ.get("OPENAI_API_KEY"), tools=tools)
    prompt = "You are the on-call site reliability engineer."
    result = rollout(prompt, chat=chat, env_url=args.env, task_level=args.task, seed=args.seed, max_turns=args.max_turns)
    for number, step in enumerate(result.steps, 1):
        print(f"{number:2d} {step.get('action', 'refused')}: {step.get('status', step.get('error'))}")
    print(f"episode {result.episode_id} reward={result.reward:.3f} terminated={result.terminated} truncated={result.truncated}")
    sys.exit(0)


if __name__ == "__main__":
    main()
