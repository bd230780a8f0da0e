"""A real loopback HTTP server for the fetch tests: serves a folder, honours Range requests
(206 + Content-Range), records every request, and can cut one file's first response short
(to make a client resume)."""
import functools
import http.server
import os
import threading
from pathlib import Path


class RangeHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):          # quiet: requests are recorded instead
        pass

    def do_GET(self):
        self.server.requests.append((self.path, self.headers.get("Range")))
        path = Path(self.translate_path(self.path))
        if not path.is_file():
            return super().do_GET()
        size = path.stat().st_size
        start = 0
        spec = self.headers.get("Range")
        if spec and spec.startswith("bytes=") and spec.endswith("-"):
            start = int(spec[6:-1])
            if start >= size:
                self.send_response(416)
                self.send_header("Content-Range", f"bytes */{size}")
                self.end_headers()
                return
            self.send_response(206)
            self.send_header("Content-Range", f"bytes {start}-{size - 1}/{size}")
        else:
            self.send_response(200)
        self.send_header("Content-Length", str(size - start))
        self.end_headers()
        cut = self.server.cut.pop(self.path, None)
        with open(path, "rb") as f:
            f.seek(start)
            data = f.read()
        if cut is not None:                 # send part of it, then drop the connection
            self.wfile.write(data[:cut])
            self.wfile.flush()
            self.connection.shutdown(2)
            return
        self.wfile.write(data)


class RangeServer:
    def __init__(self, root: Path):
        handler = functools.partial(RangeHandler, directory=os.fspath(root))
        self.httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
        self.httpd.requests = []
        self.httpd.cut = {}
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.httpd.server_address[1]}"

    @property
    def requests(self) -> list:
        return self.httpd.requests

    def cut_after(self, path: str, nbytes: int) -> None:
        self.httpd.cut[path] = nbytes

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.httpd.shutdown()
        self.httpd.server_close()
