"""The Python examples of the README and of the package's README run as written."""
import contextlib
import io
import pathlib
import re
import unittest

from support import server_url

REPO = pathlib.Path(__file__).resolve().parents[3]


def python_blocks(path):
    text = path.read_text(encoding="utf-8")
    return [block for block in re.findall(r"```python\n(.*?)```", text, re.DOTALL) if "from incident_env import" in block]


class ReadmeExamples(unittest.TestCase):
    def test_they_run_against_the_server(self):
        for readme in (REPO / "README.md", REPO / "clients" / "python" / "README.md"):
            blocks = python_blocks(readme)
            self.assertTrue(blocks, f"no incident_env example in {readme}")
            for block in blocks:
                with self.subTest(readme=readme.name), contextlib.redirect_stdout(io.StringIO()) as out:
                    exec(compile(block.replace("localhost:7860", server_url()), str(readme), "exec"), {})
                self.assertTrue(out.getvalue())

    def test_the_main_readme_prints_what_it_says(self):
        (block,) = python_blocks(REPO / "README.md")
        with contextlib.redirect_stdout(io.StringIO()) as out:
            exec(compile(block.replace("localhost:7860", server_url()), "README.md", "exec"), {})
        self.assertIn("0.95 True terminated_success", out.getvalue())


if __name__ == "__main__":
    unittest.main()
