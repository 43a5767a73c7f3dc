"""The rollout example (examples/grpo_rollout.py) against a fake OpenAI-compatible endpoint: a
local HTTP server that answers /v1/chat/completions from a script and records every request."""
import importlib.util
import json
import pathlib
import sys
import threading
import unittest
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from support import EASY_FAULT, EASY_ROOT, EASY_SCENARIO, server_url

EXAMPLE = pathlib.Path(__file__).resolve().parents[1] / "examples" / "grpo_rollout.py"


def load_example():
    spec = importlib.util.spec_from_file_location("grpo_rollout", EXAMPLE)
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up while it loads
    spec.loader.exec_module(module)
    return module


class FakeOpenAI:
    """Replies from `reply(request)`: its text, the message's fields when it is a dict (tool_calls), an HTTP error when it is an int."""

    def __init__(self, reply):
        self.requests = []
        self.headers = []
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                body = json.loads(self.rfile.read(int(self.headers["content-length"])))
                fake.requests.append(body)
                fake.headers.append(dict(self.headers))
                answer = reply(body) if self.path == "/v1/chat/completions" else 404
                if isinstance(answer, int):
                    payload, status = {"error": {"message": "scripted failure", "type": "server_error"}}, answer
                else:
                    payload, status = {
                        "id": f"chatcmpl-{len(fake.requests)}",
                        "object": "chat.completion",
                        "model": body["model"],
                        "choices": [{"index": 0, "message": {"role": "assistant", "content": None, **answer} if isinstance(answer, dict) else {"role": "assistant", "content": answer}, "finish_reason": "stop"}],
                    }, 200
                data = json.dumps(payload).encode()
                self.send_response(status)
                self.send_header("content-type", "application/json")
                self.send_header("content-length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.base_url = f"http://127.0.0.1:{self.server.server_address[1]}/v1"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self):
        self.server.shutdown()
        self.server.server_close()


def scripted_sre(request):
    """Garbage first, then inspect the root, then diagnose it: what a model might do."""
    turns = sum(1 for m in request["messages"] if m["role"] == "assistant")
    if turns == 0:
        return "Let me think about this incident."
    if turns == 1:
        return '```json\n{"action_type": "inspect", "target_service": "%s"}\n```' % EASY_ROOT
    return json.dumps({"action_type": "diagnose", "target_service": EASY_ROOT, "fault_kind": EASY_FAULT, "reasoning": "pool exhausted"})


class RolloutExample(unittest.TestCase):
    def setUp(self):
        self.url = server_url()
        self.example = load_example()

    def test_a_prompt_in_a_trajectory_and_a_reward_out(self):
        fake = FakeOpenAI(scripted_sre)
        try:
            chat = self.example.ChatModel(fake.base_url, "fake-model", api_key="test-key", temperature=0.5)
            result = self.example.rollout(
                "You are the on-call SRE.", chat=chat, env_url=self.url, task_level="easy", seed=5, scenario_id=EASY_SCENARIO
            )
        finally:
            fake.close()
        self.assertTrue(result.terminated)
        self.assertFalse(result.truncated)
        self.assertGreater(result.reward, 0.7)
        self.assertEqual([s.get("action") for s in result.steps], [None, "inspect", "diagnose"])
        self.assertIn("no JSON object", result.steps[0]["error"])
        self.assertEqual([m["role"] for m in result.messages], ["system", "user", "assistant", "user", "assistant", "user", "assistant"])
        self.assertIn("pool exhausted", result.completion)

        self.assertEqual(len(fake.requests), 3)
        first = fake.requests[0]
        self.assertEqual((first["model"], first["temperature"]), ("fake-model", 0.5))
        self.assertTrue(first["messages"][0]["content"].startswith("You are the on-call SRE."))
        self.assertIn("write_postmortem", first["messages"][0]["content"])
        # The observation as the server renders it for language models.
        observation = first["messages"][1]["content"]
        self.assertTrue(observation.startswith("# Incident: step 0 of "), observation[:80])
        self.assertIn("task easy", observation.splitlines()[0])
        self.assertIn("## Golden signals", observation)
        self.assertIn(f"## Inspection of {EASY_ROOT} (", fake.requests[2]["messages"][5]["content"])
        self.assertNotIn("tools", first)
        self.assertEqual(fake.headers[0].get("authorization") or fake.headers[0].get("Authorization"), "Bearer test-key")
        self.assertIn("not a valid action", fake.requests[1]["messages"][3]["content"])

    def test_a_model_given_the_tools_answers_with_tool_calls(self):
        def tool_caller(request):
            turns = sum(1 for m in request["messages"] if m["role"] == "assistant")
            name, arguments = ("inspect", {"target_service": EASY_ROOT}) if turns == 0 else ("diagnose", {"target_service": EASY_ROOT, "fault_kind": EASY_FAULT})
            return {"tool_calls": [{"id": f"call_{turns}", "type": "function", "function": {"name": name, "arguments": json.dumps(arguments)}}]}

        fake = FakeOpenAI(tool_caller)
        try:
            tools = self.example.tool_schemas(self.url)
            chat = self.example.ChatModel(fake.base_url, "fake-model", tools=tools)
            result = self.example.rollout("You are the on-call SRE.", chat=chat, env_url=self.url, seed=5, scenario_id=EASY_SCENARIO)
        finally:
            fake.close()
        self.assertEqual(fake.requests[0]["tools"], tools)
        self.assertEqual([t["function"]["name"] for t in tools], list(self.example.ACTION_WORDS))
        self.assertEqual([s.get("action") for s in result.steps], ["inspect", "diagnose"])
        self.assertTrue(result.terminated)
        self.assertGreater(result.reward, 0.7)

    def test_the_batch_shape_plays_one_episode_per_prompt(self):
        fake = FakeOpenAI(lambda request: json.dumps({"action_type": "resolve"}))
        try:
            chat = self.example.ChatModel(fake.base_url, "fake-model")
            rollout_func = self.example.make_rollout_func(chat, env_url=self.url, concurrency=2, task_level="easy")
            prompts = ["incident A", "incident A", "incident B"]
            out = rollout_func(prompts)
        finally:
            fake.close()
        self.assertEqual(out["prompt"], prompts)
        self.assertEqual(len(out["env_reward"]), 3)
        self.assertEqual(self.example.reward_from_env(out["completion"], **out), out["env_reward"])
        self.assertTrue(all(t[-1]["action"] == "resolve" for t in out["trajectory"]))
        # One episode per prompt text: a GRPO group compares rollouts of one seed.
        self.assertEqual(self.example.seed_for("incident A"), self.example.seed_for("incident A"))
        self.assertNotEqual(self.example.seed_for("incident A"), self.example.seed_for("incident B"))

    def test_an_endpoint_error_is_raised_with_its_status(self):
        fake = FakeOpenAI(lambda request: 503)
        try:
            chat = self.example.ChatModel(fake.base_url, "fake-model")
            with self.assertRaisesRegex(RuntimeError, "answered 503: .*scripted failure"):
                self.example.rollout("p", chat=chat, env_url=self.url)
        finally:
            fake.close()


if __name__ == "__main__":
    unittest.main()
