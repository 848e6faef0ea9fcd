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


if __name__ == "__main__":
    unittest.main(verbosity=2)
