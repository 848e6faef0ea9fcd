"""A websocket peer for the SDK's websocket client tests, built on the `websockets` package (not ours).

Usage: ws_echo_server.py [CERT KEY]   (with a certificate: wss://)
Prints the port on the first line of stdout, then serves until killed.
Each text message is echoed, except commands:
  close:CODE:REASON   close the connection with that code and reason
  big:N               send a text message of N 'x' characters
  headers             send back the upgrade request's headers as JSON
"""
import asyncio
import json
import ssl
import sys

from websockets.asyncio.server import serve


async def handler(ws):
    async for message in ws:
        if isinstance(message, bytes):
            await ws.send(message)
        elif message.startswith("close:"):
            _, code, reason = message.split(":", 2)
            await ws.close(int(code), reason)
            return
        elif message.startswith("big:"):
            await ws.send("x" * int(message[4:]))
        elif message == "headers":
            await ws.send(json.dumps({k.lower(): v for k, v in ws.request.headers.raw_items()}))
        else:
            await ws.send(message)


async def main():
    context = None
    if len(sys.argv) == 3:
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        context.load_cert_chain(sys.argv[1], sys.argv[2])
    async with serve(handler, "127.0.0.1", 0, ssl=context, max_size=None) as server:
        port = server.sockets[0].getsockname()[1]
        print(port, flush=True)
        await asyncio.Future()


asyncio.run(main())
