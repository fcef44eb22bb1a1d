#!/usr/bin/python3
"""python3-zeroconf as a link-local presence peer for the serverless tests, on one interface.

  zeroconf-peer.py publish IP INSTANCE HOST key=value...   announce INSTANCE (XEP-0174 TXT) until
                                                           SIGTERM, then say goodbye
  zeroconf-peer.py browse IP                               print every presence service found (one
                                                           JSON object a line: name and TXT)
"""
import json
import signal
import socket
import sys
import time

from zeroconf import IPVersion, ServiceBrowser, ServiceInfo, Zeroconf

SERVICE = "_presence._tcp.local."


def publish(zc, ip, instance, host, pairs):
    properties = dict(pair.split("=", 1) for pair in pairs)
    info = ServiceInfo(
        SERVICE,
        f"{instance}.{SERVICE}",
        addresses=[socket.inet_aton(ip)],
        port=5298,
        properties=properties,
        server=f"{host}.local.",
    )
    zc.register_service(info)
    print("published", flush=True)

    def goodbye(*_):
        zc.unregister_service(info)
        zc.close()
        sys.exit(0)

    signal.signal(signal.SIGTERM, goodbye)
    while True:
        time.sleep(1)


def browse(zc):
    def report(name):
        info = zc.get_service_info(SERVICE, name, timeout=3000)
        if info is None:
            return
        txt = {k.decode(): (v.decode() if v is not None else "") for k, v in info.properties.items()}
        print(json.dumps({"name": name, "txt": txt}), flush=True)

    class Listener:
        def add_service(self, _zc, _type, name):
            report(name)

        def update_service(self, _zc, _type, name):
            report(name)

        def remove_service(self, _zc, _type, name):
            print(json.dumps({"gone": name}), flush=True)

    ServiceBrowser(zc, SERVICE, Listener())
    signal.signal(signal.SIGTERM, lambda *_: (zc.close(), sys.exit(0)))
    while True:
        time.sleep(1)


def main():
    mode, ip = sys.argv[1], sys.argv[2]
    zc = Zeroconf(interfaces=[ip], ip_version=IPVersion.V4Only)
    if mode == "publish":
        publish(zc, ip, sys.argv[3], sys.argv[4], sys.argv[5:])
    else:
        browse(zc)


main()
