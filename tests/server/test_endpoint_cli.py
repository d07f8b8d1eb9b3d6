"""``aesc-kg serve``: flags, environment variables, and what reaches the app and gunicorn."""
from __future__ import annotations

import argparse

import pytest

import server
import server.wsgi
from server import cli


def parser() -> argparse.ArgumentParser:
    top = argparse.ArgumentParser(prog="aesc-kg")
    cli.add_serve_command(top.add_subparsers(dest="command"))
    return top


def test_help_names_every_flag_and_its_variable(capsys):
    with pytest.raises(SystemExit):
        parser().parse_args(["serve", "--help"])
    text = capsys.readouterr().out
    for flag, (key, *_rest) in cli.FLAGS.items():
        assert flag in text and f"KG_{key}" in text
    assert "--allow-service" in text and "KG_ALLOW_SERVICE" in text


@pytest.fixture
def captured(monkeypatch):
    """Run ``serve`` without serving: record the app config and the gunicorn options."""
    seen = {}

    class FakeApp:
        def __init__(self, config):
            self.config = {**server.DEFAULTS, **config}

    def fake_create_app(config):
        seen["config"] = config
        return FakeApp(config)

    def fake_run(self):
        seen["options"] = self.options

    monkeypatch.setattr(server, "create_app", fake_create_app)
    monkeypatch.setattr(server.wsgi.Server, "run", fake_run)
    monkeypatch.setattr(server.wsgi.Server, "__init__",
                        lambda self, app, options: setattr(self, "options", options))
    return seen


def test_flags_reach_app_and_gunicorn(captured):
    args = parser().parse_args(["serve", "--port", "9999", "--timeout", "2.5", "--data", "/tmp/x",
                                "--allow-service", "http://a/sparql", "--allow-service", "http://b/sparql",
                                "--threads", "4"])
    assert args.handler(args) == 0
    assert captured["config"]["QUERY_TIMEOUT"] == 2.5 and captured["config"]["DATA_DIR"] == "/tmp/x"
    assert captured["config"]["ALLOW_SERVICE"] == ["http://a/sparql", "http://b/sparql"]
    options = captured["options"]
    assert options["bind"] == "127.0.0.1:9999" and options["threads"] == 4
    assert options["worker_class"] == "gthread" and options["timeout"] >= 15


def test_environment_fills_in_and_flags_win(captured, monkeypatch):
    monkeypatch.setenv("KG_MAX_ROWS", "77")
    monkeypatch.setenv("KG_QUERY_TIMEOUT", "9")
    monkeypatch.setenv("KG_PORT", "8111")
    args = parser().parse_args(["serve", "--timeout", "3"])
    args.handler(args)
    assert captured["config"]["MAX_ROWS"] == 77 and captured["config"]["QUERY_TIMEOUT"] == 3.0
    assert captured["options"]["bind"] == "127.0.0.1:8111"


def test_allow_service_from_a_string(dataset):
    app = server.create_app({"TESTING": True, "DATASET": dataset, "QUERY_WORKERS": 0,
                             "ALLOW_SERVICE": "http://a/sparql, http://b/sparql"})
    assert app.config["ALLOW_SERVICE"] == ("http://a/sparql", "http://b/sparql")
