"""WebexPythonSDK (a third-party client) against the real webex-emulator process.

Run by scripts/test.sh with WEBEX_EMULATOR_URL (the emulator's base URL) and WEBEX_TEST_TOKEN set."""
import os
import unittest

from webexpythonsdk import WebexAPI
from webexpythonsdk.exceptions import ApiError

BASE = os.environ["WEBEX_EMULATOR_URL"].rstrip("/") + "/"
TOKEN = os.environ["WEBEX_TEST_TOKEN"]
BOB_TOKEN = os.environ.get("WEBEX_TEST_TOKEN_BOB", "")


class RestInterop(unittest.TestCase):
    def setUp(self):
        self.api = WebexAPI(access_token=TOKEN, base_url=BASE, single_request_timeout=20)

    def test_me(self):
        me = self.api.people.me()
        self.assertEqual(me.emails, ["alice@example.com"])
        self.assertTrue(me.id)
        self.assertIsNotNone(me.created)

    def test_room_message_roundtrip(self):
        room = self.api.rooms.create("Interop room")
        self.assertEqual(room.title, "Interop room")
        self.assertEqual(room.type, "group")
        msg = self.api.messages.create(roomId=room.id, markdown="**hello** from python")
        self.assertEqual(msg.roomId, room.id)
        self.assertIsNotNone(msg.created)
        listed = list(self.api.messages.list(roomId=room.id))
        self.assertEqual([m.id for m in listed], [msg.id])
        self.assertEqual(listed[0].markdown, "**hello** from python")
        got = self.api.rooms.get(room.id)
        self.assertEqual(got.id, room.id)
        self.assertIn(room.id, [r.id for r in self.api.rooms.list()])

    def test_pagination_follows_link(self):
        room = self.api.rooms.create("Paged")
        for i in range(7):
            self.api.messages.create(roomId=room.id, text="m%d" % i)
        # max=3 forces the SDK to follow the Link header across three pages.
        texts = [m.text for m in self.api.messages.list(roomId=room.id, max=3)]
        self.assertEqual(texts, ["m%d" % i for i in reversed(range(7))])

    def test_direct_message_and_delete(self):
        msg = self.api.messages.create(toPersonEmail="bob@example.com", text="hi bob")
        self.assertEqual(msg.roomType, "direct")
        self.api.messages.delete(msg.id)
        with self.assertRaises(ApiError) as ctx:
            self.api.messages.get(msg.id)
        self.assertEqual(ctx.exception.status_code, 404)

    def test_errors_are_webex_shaped(self):
        with self.assertRaises(ApiError) as ctx:
            self.api.rooms.get("Y2lzY29zcGFyazovL3VzL1JPT00vbm9uZQ")
        self.assertEqual(ctx.exception.status_code, 404)
        self.assertTrue(ctx.exception.tracking_id)

    def test_people_search(self):
        found = list(self.api.people.list(email="bob@example.com"))
        self.assertEqual([p.displayName for p in found], ["Bob Example"])


class MessagingResourcesInterop(unittest.TestCase):
    """Issue 3's resources: memberships, teams, team memberships, webhooks, attachment actions."""

    def setUp(self):
        self.api = WebexAPI(access_token=TOKEN, base_url=BASE, single_request_timeout=20)

    def test_memberships(self):
        room = self.api.rooms.create("Members")
        m = self.api.memberships.create(room.id, personEmail="bob@example.com")
        self.assertEqual(m.personEmail, "bob@example.com")
        self.assertFalse(m.isModerator)
        emails = sorted(x.personEmail for x in self.api.memberships.list(roomId=room.id))
        self.assertEqual(emails, ["alice@example.com", "bob@example.com"])
        self.assertTrue(self.api.memberships.update(m.id, isModerator=True).isModerator)
        self.assertEqual(self.api.memberships.get(m.id).personEmail, "bob@example.com")
        with self.assertRaises(ApiError) as ctx:
            self.api.memberships.create(room.id, personEmail="bob@example.com")
        self.assertEqual(ctx.exception.status_code, 409)
        self.api.memberships.delete(m.id)
        self.assertEqual(len(list(self.api.memberships.list(roomId=room.id))), 1)

    def test_teams_and_team_memberships(self):
        team = self.api.teams.create("Interop team")
        self.assertEqual(team.name, "Interop team")
        self.assertIn(team.id, [t.id for t in self.api.teams.list()])
        self.assertEqual(self.api.teams.update(team.id, name="Renamed").name, "Renamed")
        self.assertEqual(self.api.teams.get(team.id).name, "Renamed")
        tm = self.api.team_memberships.create(team.id, personEmail="carol@example.com")
        self.assertEqual(tm.teamId, team.id)
        members = sorted(x.personEmail for x in self.api.team_memberships.list(team.id))
        self.assertEqual(members, ["alice@example.com", "carol@example.com"])
        self.assertTrue(self.api.team_memberships.update(tm.id, isModerator=True).isModerator)
        self.assertEqual(self.api.team_memberships.get(tm.id).personEmail, "carol@example.com")
        self.api.team_memberships.delete(tm.id)
        room = self.api.rooms.create("Team room", teamId=team.id)
        self.assertEqual(room.teamId, team.id)
        self.api.teams.delete(team.id)
        with self.assertRaises(ApiError) as ctx:
            self.api.teams.get(team.id)
        self.assertEqual(ctx.exception.status_code, 404)

    def test_webhooks(self):
        hook = self.api.webhooks.create("py hook", "http://127.0.0.1:9/hook", "messages", "created", secret="s")
        self.assertEqual(hook.status, "active")
        self.assertIn(hook.id, [w.id for w in self.api.webhooks.list()])
        self.assertEqual(self.api.webhooks.get(hook.id).resource, "messages")
        updated = self.api.webhooks.update(hook.id, name="renamed", targetUrl="http://127.0.0.1:9/other")
        self.assertEqual((updated.name, updated.targetUrl), ("renamed", "http://127.0.0.1:9/other"))
        self.api.webhooks.delete(hook.id)
        with self.assertRaises(ApiError) as ctx:
            self.api.webhooks.get(hook.id)
        self.assertEqual(ctx.exception.status_code, 404)

    def test_attachment_actions(self):
        room = self.api.rooms.create("Cards")
        card = {"contentType": "application/vnd.microsoft.card.adaptive",
                "content": {"type": "AdaptiveCard", "version": "1.2", "body": [{"type": "Input.Text", "id": "c"}]}}
        msg = self.api.messages.create(roomId=room.id, text="card", attachments=[card])
        action = self.api.attachment_actions.create("submit", msg.id, {"c": "ok"})
        self.assertEqual(action.type, "submit")
        got = self.api.attachment_actions.get(action.id)
        self.assertEqual(got.inputs, {"c": "ok"})
        self.assertEqual(got.messageId, msg.id)


if __name__ == "__main__":
    unittest.main(verbosity=2)
