#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""Loopback-only anonymous read-only FTP server for tests/netboot.sh
(Debian's python3-pyftpdlib): ftpserver.py ROOT PORTFILE.  Binds
127.0.0.1 on a free port, writes the port to PORTFILE, stops by itself
after 600 seconds."""
import os
import sys
import threading

from pyftpdlib.authorizers import DummyAuthorizer
from pyftpdlib.handlers import FTPHandler
from pyftpdlib.servers import FTPServer


def main():
    root, portfile = sys.argv[1], sys.argv[2]
    auth = DummyAuthorizer()
    auth.add_anonymous(root, perm="elr")  # list and read only
    handler = FTPHandler
    handler.authorizer = auth
    handler.passive_ports = None
    handler.masquerade_address = None
    srv = FTPServer(("127.0.0.1", 0), handler)
    with open(portfile + ".tmp", "w") as f:
        f.write(str(srv.address[1]))
    os.rename(portfile + ".tmp", portfile)
    threading.Timer(600, srv.close_all).start()
    srv.serve_forever(handle_exit=False)


if __name__ == "__main__":
    import logging
    logging.disable(logging.CRITICAL)
    main()
