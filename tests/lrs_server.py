"""A throwaway Ralph LRS (``ralph-malph`` from PyPI) on 127.0.0.1, and Ralph's own xAPI models.

Ralph lives in a virtual environment of its own (``make lrs`` builds it under
``build/ralph``), so its dependencies never mix with the library's. The folder is
``FOURRESP_RALPH`` when set, else ``build/ralph`` in the repository.
"""

from __future__ import annotations

import base64
import contextlib
import json
import os
import socket
import subprocess
import tempfile
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
USER, PASSWORD = "fourresp-tests", "not-a-secret"
AUTH = ("-s", "all", "-M", "mailto:lrs@example.org", "-w")


def python() -> Path:
    """The Python of Ralph's virtual environment."""
    folder = Path(os.environ.get("FOURRESP_RALPH") or ROOT / "build" / "ralph")
    return folder / "bin" / "python"


def why_not() -> str | None:
    """Why Ralph cannot be used here, or None when it can."""
    if not python().exists():
        return f"no Ralph virtual environment at {python().parent.parent} (run `make lrs`)"
    with tempfile.TemporaryDirectory(prefix="fourresp-lrs-") as folder:
        check = subprocess.run(
            [str(python()), "-c", "import ralph.api, ralph.models.xapi.base.statements"],
            env=_environment(folder),
            capture_output=True,
            text=True,
            check=False,
        )
    if check.returncode != 0:
        return f"Ralph does not import: {check.stderr.strip().splitlines()[-1:]}"
    return None


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


class LRS:
    """A running LRS: POST and GET statements with Basic authentication."""

    def __init__(self, url: str) -> None:
        self.url = url
        token = base64.b64encode(f"{USER}:{PASSWORD}".encode()).decode()
        self.headers = {
            "Authorization": f"Basic {token}",
            "X-Experience-API-Version": "1.0.3",
            "Content-Type": "application/json",
        }

    def post(self, statements: list[dict]) -> tuple[int, object]:
        """POST ``statements``; the HTTP status and the decoded reply."""
        request = urllib.request.Request(
            f"{self.url}/xAPI/statements",
            data=json.dumps(statements).encode(),
            method="POST",
            headers=self.headers,
        )
        try:
            with urllib.request.urlopen(request, timeout=30) as reply:
                body = reply.read()
                return reply.status, json.loads(body) if body else None
        except urllib.error.HTTPError as error:
            body = error.read()
            try:
                return error.code, json.loads(body)
            except ValueError:
                return error.code, body.decode(errors="replace")


# Ralph 5.1's file-system LRS backend writes its one file with the "create"
# operation, so the second POST of new statements fails (500, "already exists and
# overwrite is not allowed"). The harness switches that backend to "append" before
# the app starts, and changes nothing else: validation and the same-id rules
# (identical: accepted; different: 409) are Ralph's own.
_SERVE = """
import sys
import uvicorn
from ralph.backends.data.base import BaseOperationType
from ralph.backends.lrs.fs import FSLRSBackend
FSLRSBackend.default_operation_type = BaseOperationType.APPEND
uvicorn.run("ralph.api:app", host="127.0.0.1", port=int(sys.argv[1]), log_level="warning")
"""


def _environment(folder: str) -> dict[str, str]:
    return {
        **os.environ,
        "RALPH_APP_DIR": folder,
        "RALPH_AUTH_FILE": f"{folder}/auth.json",
        "RALPH_RUNSERVER_BACKEND": "fs",
        "RALPH_BACKENDS__LRS__FS__DEFAULT_DIRECTORY_PATH": f"{folder}/data",
    }


@contextlib.contextmanager
def server() -> Iterator[LRS]:
    """Ralph's LRS with its file-system backend in a temporary folder, stopped afterwards."""
    with tempfile.TemporaryDirectory(prefix="fourresp-lrs-") as folder:
        environment = _environment(folder)
        subprocess.run(
            [str(python()), "-m", "ralph", "auth", "-u", USER, "-p", PASSWORD, *AUTH],
            env=environment,
            capture_output=True,
            check=True,
            timeout=120,
        )
        port = _free_port()
        log = open(f"{folder}/server.log", "w")  # noqa: SIM115 - closed below
        process = subprocess.Popen(
            [str(python()), "-c", _SERVE, str(port)],
            env=environment,
            cwd=folder,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        try:
            url = f"http://127.0.0.1:{port}"
            deadline = time.monotonic() + 60
            while True:
                try:
                    with urllib.request.urlopen(f"{url}/__heartbeat__", timeout=2):
                        break
                except OSError:
                    if process.poll() is not None or time.monotonic() > deadline:
                        log.close()
                        raise RuntimeError(
                            "Ralph did not start: " + Path(f"{folder}/server.log").read_text()
                        ) from None
                    time.sleep(0.2)
            yield LRS(url)
        finally:
            process.terminate()
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
            log.close()


_VALIDATE = """
import json, sys
from pydantic import ValidationError
from ralph.models.xapi.base.statements import BaseXapiStatement
from rfc3987 import match
for line in sys.stdin:
    request = json.loads(line)
    if "iri" in request:
        # rfc3987 anchors with "$", which also matches before a final newline
        found = match(request["iri"], rule="IRI")
        print(json.dumps(found is not None and found.end() == len(request["iri"])), flush=True)
        continue
    try:
        BaseXapiStatement.model_validate(request["statement"])
    except ValidationError as error:
        print(json.dumps(str(error)), flush=True)
    else:
        print(json.dumps(None), flush=True)
"""


class Validator:
    """Ralph's own xAPI statement model and IRI checker, in a long-lived subprocess."""

    def __init__(self) -> None:
        self.process = subprocess.Popen(
            [str(python()), "-c", _VALIDATE],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )

    def _ask(self, request: dict) -> object:
        assert self.process.stdin is not None
        assert self.process.stdout is not None
        self.process.stdin.write(json.dumps(request) + "\n")
        self.process.stdin.flush()
        return json.loads(self.process.stdout.readline())

    def problem(self, statement: dict) -> str | None:
        """None when Ralph's ``BaseXapiStatement`` accepts ``statement``, else why not."""
        answer = self._ask({"statement": statement})
        assert answer is None or isinstance(answer, str)
        return answer

    def is_iri(self, text: str) -> bool:
        """What the ``rfc3987`` package Ralph uses says of ``text`` (rule ``IRI``)."""
        return bool(self._ask({"iri": text}))

    def close(self) -> None:
        """Stop the subprocess."""
        assert self.process.stdin is not None
        assert self.process.stdout is not None
        self.process.stdin.close()
        self.process.wait(timeout=20)
        self.process.stdout.close()
