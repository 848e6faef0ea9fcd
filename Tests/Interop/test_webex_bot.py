"""webex-bot (a third-party Mercury client) against the real webex-emulator process.

webex-bot's WebexWebsocketClient discovers WDM through U2C, registers a device, opens the websocket,
authorizes, and for each `post` activity resolves the message through the conversation service and
fetches it over REST; for files it waits for the `update` activity that marks them safe, and for card
submissions (`cardAction`) it fetches the attachment action. Its module globals are pointed at the
emulator: the U2C URL, no TLS context (the socket URL is ws://) and a WebexAPI with the emulator's base URL.

Run by scripts/test.sh with WEBEX_EMULATOR_URL (the emulator's base URL), WEBEX_TEST_TOKEN (Alice) and
WEBEX_TEST_TOKEN_BOB (Bob) set; needs `pip install webex-bot`."""
import asyncio
import json
import multiprocessing
import os
import time
import uuid

import requests

import webex_bot.websockets.webex_websocket_client as webex_websocket_client

BASE = os.environ["WEBEX_EMULATOR_URL"].rstrip("/")
ORIGIN = BASE[: -len("/v1")] if BASE.endswith("/v1") else BASE
ALICE = os.environ["WEBEX_TEST_TOKEN"]
BOB = os.environ["WEBEX_TEST_TOKEN_BOB"]
TIMEOUT = 15


def _run_bot(origin, token, results):
    """The child process: webex-bot's client, pointed at the emulator, reporting what it hands over."""
    real_api = webex_websocket_client.WebexAPI
    webex_websocket_client.DEFAULT_U2C_URL = origin + "/u2c/api/v1/catalog"
    webex_websocket_client.ssl_context = None
    webex_websocket_client.WebexAPI = lambda *args, **kwargs: real_api(*args, base_url=origin + "/v1/", **kwargs)

    def on_message(teams_message, activity):
        results.put({"kind": "message", "id": teams_message.id, "text": teams_message.text,
                     "personEmail": teams_message.personEmail, "files": teams_message.files or [],
                     "verb": activity["verb"], "activity": json.dumps(activity)})

    def on_card_action(attachment_actions, activity):
        results.put({"kind": "card", "id": attachment_actions.id, "messageId": attachment_actions.messageId,
                     "inputs": attachment_actions.inputs, "verb": activity["verb"]})

    client = webex_websocket_client.WebexWebsocketClient(
        access_token=token, bot_name="emulator-interop", on_message=on_message, on_card_action=on_card_action)
    asyncio.set_event_loop(asyncio.new_event_loop())
    client.run()


def _api(method, path, token, **kwargs):
    response = requests.request(method, ORIGIN + path, headers={"Authorization": "Bearer " + token},
                                timeout=10, **kwargs)
    assert response.status_code in (200, 204), (method, path, response.status_code, response.text)
    return response.json() if response.content else None


def _wait_for(condition, what):
    deadline = time.monotonic() + TIMEOUT
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.05)
    raise AssertionError("timed out waiting for " + what)


def _alice_listening():
    connections = requests.get(ORIGIN + "/_emulator/mercury/connections", timeout=10).json()["items"]
    return any(c["email"] == "alice@example.com" and c["authorized"] for c in connections)


def test_webex_bot_receives_messages_files_and_card_actions():
    _api("DELETE", "/wdm/api/v1/devices", ALICE)  # start without registrations (webex-bot reuses one by name)
    room = _api("POST", "/v1/rooms", ALICE, json={"title": "webex-bot interop"})
    _api("POST", "/v1/memberships", ALICE, json={"roomId": room["id"], "personEmail": "bob@example.com"})
    card = _api("POST", "/v1/messages", ALICE, json={
        "roomId": room["id"], "text": "card",
        "attachments": [{"contentType": "application/vnd.microsoft.card.adaptive",
                         "content": {"type": "AdaptiveCard", "version": "1.2", "body": [],
                                     "actions": [{"type": "Action.Submit", "title": "Go"}]}}]})

    context = multiprocessing.get_context("fork")
    results = context.Queue()
    bot = context.Process(target=_run_bot, args=(ORIGIN, ALICE, results), daemon=True)
    bot.start()
    try:
        _wait_for(_alice_listening, "webex-bot to register a device and authorize its websocket")
        devices = _api("GET", "/wdm/api/v1/devices", ALICE)["devices"]
        assert [d["name"] for d in devices] == ["python-spark-client"]

        # A text message: `post` → conversation-service lookup → REST message.
        text = "hello bot " + uuid.uuid4().hex
        sent = _api("POST", "/v1/messages", BOB, json={"roomId": room["id"], "text": text})
        got = results.get(timeout=TIMEOUT)
        assert got["kind"] == "message" and got["verb"] == "post"
        assert got["id"] == sent["id"]
        assert got["text"] == text
        assert got["personEmail"] == "bob@example.com"
        assert text not in got["activity"]  # the activity itself never carries the text

        # A file: `share` first, then the `update` that says the file is safe; webex-bot fetches at the update.
        shared = _api("POST", "/v1/messages", BOB, data={"roomId": room["id"], "text": "the report"},
                      files={"files": ("report.txt", b"quarterly numbers", "text/plain")})
        got = results.get(timeout=TIMEOUT)
        assert got["kind"] == "message" and got["verb"] == "update"
        assert got["id"] == shared["id"]
        assert got["text"] == "the report"
        assert len(got["files"]) == 1

        # A card submission: `cardAction` → attachment action lookup → REST attachment action.
        action = _api("POST", "/v1/attachment/actions", BOB,
                      json={"type": "submit", "messageId": card["id"], "inputs": {"choice": "yes"}})
        got = results.get(timeout=TIMEOUT)
        assert got == {"kind": "card", "id": action["id"], "messageId": card["id"], "inputs": {"choice": "yes"},
                       "verb": "cardAction"}

        # webex-bot acks what it processed (with Hydra ids, which the emulator tolerates).
        connection = next(c for c in requests.get(ORIGIN + "/_emulator/mercury/connections", timeout=10).json()["items"]
                          if c["email"] == "alice@example.com")
        assert connection["wireFormat"] == "binary"
        assert connection["eventsSent"] >= 4  # post, share, update, cardAction
        assert sent["id"] in connection["lastAckIds"]
    finally:
        bot.terminate()
        bot.join(5)
        if bot.is_alive():
            bot.kill()
            bot.join(5)
        requests.delete(ORIGIN + "/wdm/api/v1/devices", headers={"Authorization": "Bearer " + ALICE}, timeout=10)
    assert not bot.is_alive()
