import sys

import pytest

from tests.ui.test_cli import govrag
from ui.exposure import ExposureError, check_exposure, edits_allowed, is_loopback, read_auth


def test_loopback_needs_no_login_and_other_addresses_do(tmp_path):
    assert is_loopback("127.0.0.1") and is_loopback("localhost") and is_loopback("::1")
    assert not is_loopback("0.0.0.0") and not is_loopback("192.0.2.7")
    assert check_exposure("127.0.0.1", []) is None
    with pytest.raises(ExposureError, match="without a login"):
        check_exposure("0.0.0.0", [])
    assert "reachable from other machines" in check_exposure("0.0.0.0", [("ana", "pw")])
    auth_file = tmp_path / "users"
    auth_file.write_text("# analysts\nana:s3cret\nbo:pw:with:colons\n", encoding="utf-8")
    assert read_auth("root:x", auth_file) == [("root", "x"), ("ana", "s3cret"), ("bo", "pw:with:colons")]
    with pytest.raises(ExposureError, match="not 'user:password'"):
        read_auth("nopassword", None)


def test_library_uploads_on_loopback_by_default_and_beyond_it_only_when_enabled():
    assert edits_allowed("127.0.0.1", None) and not edits_allowed("0.0.0.0", None)
    assert edits_allowed("0.0.0.0", True)  # the login check_exposure demands still applies
    assert not edits_allowed("127.0.0.1", False)


def test_ui_refuses_a_public_bind_without_auth_before_loading_anything(tmp_path):
    result = govrag("ui", "--host", "0.0.0.0", data_dir=tmp_path, timeout=60)
    assert result.returncode == 2 and "without a login" in result.stderr


@pytest.mark.slow
def test_a_public_bind_with_a_login_lets_only_that_login_in(full_index, tmp_path):
    import httpx
    from gradio_client import Client

    from tests.conftest import free_port, start_server

    port = free_port()
    env_command = ["env", f"GOVRAG_DATA_DIR={full_index.data_dir}", sys.executable, "-m", "ui.cli", "ui",
                   "--host", "0.0.0.0", "--port", str(port), "--auth", "ana:s3cret"]
    url = f"http://127.0.0.1:{port}"
    server = start_server(env_command, f"{url}/gradio_api/login_check", tmp_path / "ui.log", "govrag ui",
                          accept=(200, 401))
    try:
        assert httpx.get(f"{url}/config").status_code == 401
        assert httpx.post(f"{url}/gradio_api/call/ask", json={"data": ["privacy"]}).status_code == 401
        wrong = httpx.post(f"{url}/gradio_api/login", data={"username": "ana", "password": "guess"})
        assert wrong.status_code >= 400
        with pytest.raises(Exception):
            Client(url, verbose=False)
        answer = Client(url, auth=("ana", "s3cret"), verbose=False).predict(
            "What does the Beijing AI Principles say about privacy?", api_name="/ask")
        assert answer["verdict"] != "refused" and answer["citations"]
        assert "reachable from other machines" in (tmp_path / "ui.log").read_text()
    finally:
        server.terminate()
        server.wait(timeout=30)


@pytest.mark.slow
def test_serving_and_answering_open_no_connection_beyond_loopback(answerer):
    """Every name lookup and socket connect in this process (Python's audit hook) while the UI starts and
    answers."""
    import ipaddress

    from gradio_client import Client

    from tests.conftest import served_app

    outside: list = []
    watching = [True]

    def hook(event: str, args: tuple) -> None:
        if watching[0] and event == "socket.getaddrinfo":  # a name looked up (fails here before any connect)
            if args[0] not in (None, "localhost", "127.0.0.1", "::1", b"localhost", b"127.0.0.1"):
                outside.append(args[0])
        if watching[0] and event == "socket.connect":
            address = args[1]
            host = address[0] if isinstance(address, tuple) else str(address)
            try:
                if not ipaddress.ip_address(host).is_loopback:
                    outside.append(address)
            except ValueError:  # a name, or a Unix socket path
                if isinstance(address, tuple) and host != "localhost":
                    outside.append(address)

    sys.addaudithook(hook)
    try:
        with served_app(answerer) as url:
            answer = Client(url, verbose=False).predict("What does the OECD say about transparency?",
                                                        api_name="/ask")
            assert answer["citations"]
    finally:
        watching[0] = False
    assert outside == []
