#!/usr/bin/python3
# A real XMPP client for Närvaro's tests: python3-slixmpp (Debian's package), driven by JSON lines on
# stdin, reporting what it receives as JSON lines on stdout. Nobody here wrote the XMPP side of it.
#
#   argv: jid password host port mechanism cafile
#   stdin commands: {"op": "presence", "show": "dnd", "status": "..."} | {"op": "roster"}
#                   | {"op": "subscribe", "to": jid} | {"op": "subscribed", "to": jid}
#                   | {"op": "unsubscribe", "to": jid} | {"op": "unsubscribed", "to": jid}
#                   | {"op": "message", "to": jid, "body": "..."} | {"op": "raw", "xml": "..."}
#                   | {"op": "unavailable"} | {"op": "disconnect"}
#                   | {"op": "publish_mood", "value": ..., "text": ...} (also publish_activity,
#                     publish_location with "fields", and publish with "node" and "payload": PEP)
#   stdout events:  {"event": "session_start"} | {"event": "failed_auth"} | {"event": "presence", ...}
#                   | {"event": "roster", "items": {...}} | {"event": "message", ...} | {"event": "disconnected"}
import asyncio
import json
import os
import logging
import ssl
import sys

import slixmpp
from slixmpp.xmlstream import ET


def emit(**event):
    sys.stdout.write(json.dumps(event) + "\n")
    sys.stdout.flush()


class Driver(slixmpp.ClientXMPP):
    def __init__(self, jid, password, mechanism):
        super().__init__(jid, password, sasl_mech=mechanism or None)
        # The test decides every subscription answer itself.
        self.auto_authorize = None
        self.auto_subscribe = False
        self.register_plugin("xep_0030")
        self.register_plugin("xep_0199")
        # Rich presence: entity capabilities announce +notify for User Activity, Mood and Location.
        for plugin in ("xep_0115", "xep_0163", "xep_0108", "xep_0107", "xep_0080"):
            self.register_plugin(plugin)
        self["xep_0163"].add_interest("http://jabber.org/protocol/activity")
        self["xep_0163"].add_interest("http://jabber.org/protocol/mood")
        self["xep_0163"].add_interest("http://jabber.org/protocol/geoloc")
        self.add_event_handler("user_activity_publish", self.on_pep)
        self.add_event_handler("user_mood_publish", self.on_pep)
        self.add_event_handler("user_location_publish", self.on_pep)
        self.add_event_handler("session_start", self.on_start)
        self.add_event_handler("failed_auth", lambda _e: emit(event="failed_auth"))
        self.add_event_handler("disconnected", self.on_disconnected)
        self.stopping = False
        if os.environ.get("SLIX_SM"):
            # Stream management with resumption; a dropped connection is reconnected and resumed.
            self.register_plugin("xep_0198")
            self.add_event_handler("session_resumed", lambda _e: emit(event="session_resumed"))
            self.add_event_handler("sm_enabled", lambda _e: emit(event="sm_enabled"))
        self.add_event_handler("stream_error", self.on_stream_error)
        self.add_event_handler("presence", self.on_presence)
        self.add_event_handler("message", self.on_message)
        self.add_event_handler("message_error", self.on_message)
        self.add_event_handler("roster_update", self.on_roster)
        if os.environ.get("SLIX_CARBONS"):
            # Message carbons (XEP-0280): enabled at session start, each copy reported.
            self.register_plugin("xep_0280")
            self.add_event_handler("carbon_received", lambda m: self.on_carbon("received", m["carbon_received"]))
            self.add_event_handler("carbon_sent", lambda m: self.on_carbon("sent", m["carbon_sent"]))

    async def on_start(self, _event):
        emit(event="session_start", jid=str(self.boundjid))
        if os.environ.get("SLIX_CARBONS"):
            await self["xep_0280"].enable()
            emit(event="carbons_enabled")

    def on_carbon(self, direction, inner):
        emit(event="carbon", direction=direction, frm=str(inner["from"]), to=str(inner["to"]), body=inner["body"])

    def on_stream_error(self, error):
        emit(event="stream_error", condition=error["condition"], text=error["text"])

    def on_disconnected(self, _event):
        emit(event="disconnected")
        if os.environ.get("SLIX_SM") and not self.stopping:
            asyncio.get_event_loop().call_later(0.3, lambda: self.connect(self.address_pair))

    def on_presence(self, presence):
        emit(
            event="presence",
            frm=str(presence["from"]),
            type=presence["type"],
            show=presence["show"],
            status=presence["status"],
            xml=str(presence),
        )

    def on_pep(self, message):
        emit(event="pep", frm=str(message["from"]), xml=str(message))

    def on_message(self, message):
        emit(event="message", frm=str(message["from"]), type=message["type"], body=message["body"], xml=str(message))

    def on_roster(self, iq):
        items = {
            str(jid): {"subscription": item["subscription"], "ask": item["ask"], "name": item["name"]}
            for jid, item in iq["roster"]["items"].items()
        }
        emit(event="roster_push", items=items)


async def commands(driver):
    loop = asyncio.get_event_loop()
    reader = asyncio.StreamReader()
    await loop.connect_read_pipe(lambda: asyncio.StreamReaderProtocol(reader), sys.stdin)
    while True:
        line = await reader.readline()
        if not line:
            driver.stopping = True
            driver.disconnect()
            return
        command = json.loads(line)
        op = command["op"]
        try:
            if op == "presence":
                driver.send_presence(pshow=command.get("show"), pstatus=command.get("status"))
            elif op == "unavailable":
                driver.send_presence(ptype="unavailable")
            elif op == "roster":
                iq = await driver.get_roster()
                items = {
                    str(jid): {"subscription": item["subscription"], "ask": item["ask"], "name": item["name"]}
                    for jid, item in iq["roster"]["items"].items()
                }
                emit(event="roster", items=items, ver=iq["roster"]["ver"])
            elif op in ("subscribe", "subscribed", "unsubscribe", "unsubscribed"):
                driver.send_presence(pto=command["to"], ptype=op)
            elif op == "message":
                driver.send_message(mto=command["to"], mbody=command["body"], mtype="chat")
            elif op == "raw":
                driver.send_raw(command["xml"])
            elif op == "iq":
                iq = driver.make_iq_get(queryxmlns=command["ns"], ito=command.get("to"))
                result = await iq.send(timeout=10)
                emit(event="iq", xml=str(result))
            elif op == "roster_set":
                await driver.update_roster(command["to"], groups=command.get("groups", []))
            elif op == "roster_remove":
                await driver.del_roster_item(command["to"])
            elif op == "iqpayload":
                iq = driver.make_iq(ito=command.get("to"), itype=command.get("type", "get"))
                iq.append(ET.fromstring(command["payload"]))
                result = await iq.send(timeout=10)
                emit(event="iq", xml=str(result))
            elif op == "publish_mood":
                result = await driver["xep_0107"].publish_mood(command.get("value"), command.get("text"))
                emit(event="iq", xml=str(result))
            elif op == "publish_activity":
                result = await driver["xep_0108"].publish_activity(
                    command["general"], command.get("specific"), command.get("text")
                )
                emit(event="iq", xml=str(result))
            elif op == "publish_location":
                result = await driver["xep_0080"].publish_location(**command["fields"])
                emit(event="iq", xml=str(result))
            elif op == "publish":
                result = await driver["xep_0060"].publish(
                    None, command["node"], id="current", payload=ET.fromstring(command["payload"])
                )
                emit(event="iq", xml=str(result))
            elif op == "disconnect":
                driver.stopping = True
                driver.disconnect()
                return
            emit(event="done", op=op)
        except Exception as error:  # reported to the test, which decides
            emit(event="error", op=op, error=str(error), xml=str(getattr(error, "iq", "")))
            continue


def main():
    level = logging.DEBUG if os.environ.get("SLIX_DEBUG") else logging.WARNING
    logging.basicConfig(level=level, stream=sys.stderr)
    jid, password, host, port, mechanism, cafile = sys.argv[1:7]
    driver = Driver(jid, password, mechanism)
    context = ssl.create_default_context(cafile=cafile)
    driver.ssl_context = context
    driver.address_pair = (host, int(port))
    driver.connect(driver.address_pair)
    loop = asyncio.get_event_loop()
    # Runs until the test says disconnect (or closes stdin); a lost stream shows as an event.
    loop.run_until_complete(commands(driver))
    loop.run_until_complete(asyncio.sleep(0.2))


if __name__ == "__main__":
    main()
