"""The page API answers only its own page: JSON bodies, its own host name, valid fields."""

from __future__ import annotations

import json

from tests.playground.conftest import Page


def test_actions_need_a_json_body(page: Page) -> None:
    body = json.dumps({"user": page.playground.you.id}).encode()
    status, answer, _ = page.request(
        "/playground/api/home", body, {"Content-Type": "text/plain"}, method="POST"
    )
    assert status == 415
    assert json.loads(answer)["ok"] is False
    assert page.playground.slack.deliveries() == []


def test_other_host_names_are_refused(page: Page) -> None:
    status, _, _ = page.request("/playground/api/state", headers={"Host": "evil.example:80"})
    assert status == 403


def test_bad_bodies_name_what_is_wrong(page: Page) -> None:
    headers = {"Content-Type": "application/json"}
    status, answer, _ = page.request("/playground/api/post", b"{", headers, method="POST")
    assert (status, json.loads(answer)["error"]) == (400, "the body is not JSON")
    status, answer, _ = page.request(
        "/playground/api/pin", json.dumps({"user": "U1", "surprise": 1}).encode(), headers
    )
    assert status == 400
    assert "channel" in json.loads(answer)["error"]


def test_unknown_api_paths_and_methods(page: Page) -> None:
    assert page.request("/playground/api/nothing")[0] == 404
    json_post = {"Content-Type": "application/json"}
    assert page.request("/playground/api/state", b"{}", json_post)[0] == 404


def test_the_web_api_is_still_the_stand_in(page: Page) -> None:
    client = page.playground.slack.client(page.playground.workspace)
    assert client.auth_test()["ok"]
