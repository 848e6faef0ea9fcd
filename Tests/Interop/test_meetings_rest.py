"""WebexPythonSDK's meetings API (a third-party client) against the real webex-emulator process.

Run by scripts/test.sh with WEBEX_EMULATOR_URL (the emulator's base URL), WEBEX_TEST_TOKEN (Alice) and
WEBEX_TEST_TOKEN_BOB set."""
import os
import re
import unittest

from webexpythonsdk import WebexAPI
from webexpythonsdk.exceptions import ApiError

BASE = os.environ["WEBEX_EMULATOR_URL"].rstrip("/") + "/"
TOKEN = os.environ["WEBEX_TEST_TOKEN"]
BOB_TOKEN = os.environ.get("WEBEX_TEST_TOKEN_BOB", "")


class MeetingsInterop(unittest.TestCase):
    def setUp(self):
        self.api = WebexAPI(access_token=TOKEN, base_url=BASE, single_request_timeout=20)

    def test_create_get_list_update_delete(self):
        created = self.api.meetings.create(
            title="Interop sync",
            start="2031-03-01T10:00:00Z",
            end="2031-03-01T10:30:00Z",
            agenda="Python says hello",
            invitees=[{"email": "bob@example.com", "displayName": "Bob"}],
        )
        self.assertRegex(created.id, r"^[0-9a-f]{32}$")
        self.assertRegex(created.meetingNumber, r"^\d{11}$")
        self.assertEqual(created.title, "Interop sync")
        self.assertEqual(created.meetingType, "meetingSeries")
        self.assertEqual(created.state, "active")
        self.assertEqual(created.hostEmail, "alice@example.com")
        self.assertTrue(created.password)
        self.assertTrue(re.match(r"^https://[^/]+/[^/]+/j\.php\?MTID=m[0-9a-f]{32}$", created.webLink))
        self.assertEqual(created.sipAddress, created.meetingNumber + "@" + created.siteUrl)

        got = self.api.meetings.get(created.id)
        self.assertEqual(got.webLink, created.webLink)
        listed = [m.id for m in self.api.meetings.list(meetingNumber=created.meetingNumber)]
        self.assertEqual(listed, [created.id])

        updated = self.api.meetings.update(
            created.id,
            title="Interop sync (moved)",
            password="Moved1234",
            start="2031-03-02T10:00:00Z",
            end="2031-03-02T11:00:00Z",
        )
        self.assertEqual(updated.title, "Interop sync (moved)")
        self.assertEqual(updated.password, "Moved1234")

        if BOB_TOKEN:
            bob = WebexAPI(access_token=BOB_TOKEN, base_url=BASE, single_request_timeout=20)
            self.assertEqual(bob.meetings.get(created.id).title, "Interop sync (moved)")
            with self.assertRaises(ApiError) as ctx:
                bob.meetings.delete(created.id)
            self.assertEqual(ctx.exception.status_code, 403)

        self.api.meetings.delete(created.id)
        with self.assertRaises(ApiError) as ctx:
            self.api.meetings.get(created.id)
        self.assertEqual(ctx.exception.status_code, 404)

    def test_list_pages_with_max(self):
        ids = []
        for day in range(1, 4):
            ids.append(
                self.api.meetings.create(
                    title="Paged %d" % day,
                    start="2032-04-0%dT09:00:00Z" % day,
                    end="2032-04-0%dT09:15:00Z" % day,
                ).id
            )
        listed = [
            m.id
            for m in self.api.meetings.list(from_="2032-04-01T00:00:00Z", to="2032-04-05T00:00:00Z", max=1)
        ]
        self.assertEqual(listed, ids)
        for meeting_id in ids:
            self.api.meetings.delete(meeting_id)

    def test_validation_errors(self):
        with self.assertRaises(ApiError) as ctx:
            self.api.meetings.create(title="Backwards", start="2031-03-01T10:00:00Z", end="2031-03-01T09:00:00Z")
        self.assertEqual(ctx.exception.status_code, 400)
        self.assertTrue(ctx.exception.tracking_id)


if __name__ == "__main__":
    unittest.main()
