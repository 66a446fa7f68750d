import pytest

from tests.ui.test_cli import govrag
from ui.exposure import ExposureError, check_exposure, is_loopback, read_auth


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


def test_ui_refuses_a_public_bind_without_auth_before_loading_anything(tmp_path):
    result = govrag("ui", "--host", "0.0.0.0", data_dir=tmp_path, timeout=60)
    assert result.returncode == 2 and "without a login" in result.stderr
