#!/usr/bin/python3
"""A link-local XMPP chat (XEP-0174) for the serverless tests, written as the XEP says on a raw socket:
open a stream from INSTANCE to PEER at HOST:PORT, send one chat message, and print what came back
within three seconds as one JSON object (the reply's body, or the stream error's condition).

  xep0174-chat.py HOST PORT INSTANCE PEER TEXT
"""
import json
import re
import socket
import sys
import time
from xml.sax.saxutils import escape, quoteattr

host, port, instance, peer, text = sys.argv[1], int(sys.argv[2]), *sys.argv[3:6]
s = socket.create_connection((host, port), timeout=5)
s.sendall(
    (
        "<?xml version='1.0'?><stream:stream xmlns='jabber:client' "
        "xmlns:stream='http://etherx.jabber.org/streams' "
        f"from={quoteattr(instance)} to={quoteattr(peer)} version='1.0'>"
    ).encode()
)
received = ""
deadline = time.time() + 3
sent = False
s.settimeout(0.2)
while time.time() < deadline:
    if not sent and "<stream:features" in received:
        s.sendall(
            f"<message to={quoteattr(peer)} from={quoteattr(instance)} type='chat'><body>{escape(text)}</body></message>".encode()
        )
        sent = True
    try:
        chunk = s.recv(65536)
        if not chunk:
            break
        received += chunk.decode()
    except socket.timeout:
        pass
    if "</message>" in received or "</stream:error>" in received:
        break
body = re.search(r"<body>(.*?)</body>", received, re.S)
error = re.search(r"<stream:error><([a-z-]+)", received)
print(json.dumps({"sent": sent, "reply": body.group(1) if body else None, "error": error.group(1) if error else None}))
