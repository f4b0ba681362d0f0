"""A minimal Jembatan test client on the Python standard library: HS256 tokens and an
RFC 6455 WebSocket client (masked text frames out, unmasked frames in). Used by the scripts
in Scripts/; no third-party package is needed on a fresh machine."""
import base64, hashlib, hmac, json, os, signal, socket, struct, subprocess, time



def token(secret, sub, role, name, langs, capacity=None):
    def b64(data):
        return base64.urlsafe_b64encode(data).rstrip(b"=").decode()
    header = b64(b'{"alg":"HS256","typ":"JWT"}')
    claims = {"sub": sub, "role": role, "name": name, "langs": langs, "exp": int(time.time()) + 3600}
    if capacity is not None:
        claims["capacity"] = capacity
    payload = b64(json.dumps(claims).encode())
    mac = hmac.new(secret.encode(), f"{header}.{payload}".encode(), hashlib.sha256).digest()
    return f"{header}.{payload}.{b64(mac)}"


class Closed(Exception):
    """The link is gone. `code` is the close code of the server's close frame, if one came."""

    def __init__(self, code=None):
        super().__init__(code)
        self.code = code


class Socket:
    """A minimal RFC 6455 client: masked text frames out, unmasked frames in."""

    def __init__(self, port, timeout=5):
        self.sock = socket.create_connection(("127.0.0.1", port), timeout=timeout)
        key = base64.b64encode(os.urandom(16)).decode()
        self.sock.sendall((f"GET /ws HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                           f"Sec-WebSocket-Key: {key}\r\nSec-WebSocket-Version: 13\r\n"
                           f"Sec-WebSocket-Protocol: jembatan.v1\r\n\r\n").encode())
        self.buffer = b""
        while b"\r\n\r\n" not in self.buffer:
            self.buffer += self._recv()
        head, self.buffer = self.buffer.split(b"\r\n\r\n", 1)
        if b" 101 " not in head.split(b"\r\n")[0]:
            raise Closed()

    def _recv(self):
        try:
            data = self.sock.recv(65536)
        except (socket.timeout, OSError):
            raise Closed()
        if not data:
            raise Closed()
        return data

    def send(self, obj):
        data = json.dumps(obj, ensure_ascii=False).encode()
        mask = os.urandom(4)
        n = len(data)
        header = bytes([0x81]) + (bytes([0x80 | n]) if n < 126 else bytes([0x80 | 126]) + struct.pack(">H", n))
        try:
            self.sock.sendall(header + mask + bytes(b ^ mask[i % 4] for i, b in enumerate(data)))
        except OSError:
            raise Closed()

    def _frame(self):
        """One whole frame taken from the buffer as (opcode, payload), or None if it holds less."""
        if len(self.buffer) < 2:
            return None
        n, offset = self.buffer[1] & 127, 2
        if n == 126:
            if len(self.buffer) < 4:
                return None
            n, offset = struct.unpack(">H", self.buffer[2:4])[0], 4
        elif n == 127:
            if len(self.buffer) < 10:
                return None
            n, offset = struct.unpack(">Q", self.buffer[2:10])[0], 10
        if len(self.buffer) < offset + n:
            return None
        opcode, payload, self.buffer = self.buffer[0] & 15, self.buffer[offset:offset + n], self.buffer[offset + n:]
        return opcode, payload

    def _text(self, opcode, payload):
        if opcode == 8:
            raise Closed(struct.unpack(">H", payload[:2])[0] if len(payload) >= 2 else None)
        return json.loads(payload) if opcode == 1 else None

    def receive(self):
        while True:
            frame = self._frame()
            if frame is None:
                self.buffer += self._recv()
                continue
            obj = self._text(*frame)
            if obj is not None:
                return obj

    def receive_within(self, seconds):
        """The next JSON frame, or None if none comes within `seconds` (the link stays usable:
        part of a frame read meanwhile stays buffered). Raises Closed like `receive`."""
        deadline = time.monotonic() + seconds
        previous = self.sock.gettimeout()
        try:
            while True:
                frame = self._frame()
                if frame is not None:
                    obj = self._text(*frame)
                    if obj is not None:
                        return obj
                    continue
                left = deadline - time.monotonic()
                if left <= 0:
                    return None
                self.sock.settimeout(left)
                try:
                    data = self.sock.recv(65536)
                except socket.timeout:
                    return None
                except OSError:
                    raise Closed()
                if not data:
                    raise Closed()
                self.buffer += data
        finally:
            try:
                self.sock.settimeout(previous)
            except OSError:
                pass

    def next(self, kind):
        while True:
            frame = self.receive()
            if frame.get("type") == kind:
                return frame
            if frame.get("type") == "error" and frame.get("code") == "unavailable":
                raise Closed()

    def send_close(self, code=1000):
        """Answers (or starts) the closing handshake with a masked close frame; never raises."""
        mask = os.urandom(4)
        payload = struct.pack(">H", code)
        try:
            self.sock.sendall(bytes([0x88, 0x80 | len(payload)]) + mask + bytes(b ^ mask[i % 4] for i, b in enumerate(payload)))
        except OSError:
            pass

    def close(self):
        try:
            self.sock.close()
        except OSError:
            pass


class Broker:
    """A `jembatan serve` process on a fixed loopback port and data folder."""

    def __init__(self, binary, data, port, secret, extra=()):
        self.binary, self.data, self.port, self.secret, self.process = binary, data, port, secret, None
        self.extra = list(extra)

    def start(self):
        env = dict(os.environ, JEMBATAN_JWT_SECRET=self.secret)
        # The scripts send flat out and open many connections: rate limits off unless asked.
        limits = [] if "--rate-limit" in self.extra else ["--rate-limit", "0", "--connections-per-ip", "0"]
        self.process = subprocess.Popen([self.binary, "serve", "--port", str(self.port), "--data", self.data]
                                        + limits + self.extra,
                                        env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        deadline = time.time() + 20
        while time.time() < deadline:
            try:
                socket.create_connection(("127.0.0.1", self.port), timeout=0.2).close()
                return
            except OSError:
                time.sleep(0.05)
        raise SystemExit("the broker did not start")

    def kill(self):
        self.process.send_signal(signal.SIGKILL)
        self.process.wait()

    def stop(self):
        self.process.send_signal(signal.SIGTERM)
        return self.process.wait(timeout=20)

    def rss_kib(self):
        with open(f"/proc/{self.process.pid}/status") as status:
            for line in status:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1])
        return 0


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]
