"""deploy/: the nginx site as the loopback recipe renders it, checked by nginx itself."""

from __future__ import annotations

import subprocess

import pytest

from testsupport import proxy


def test_site_config_gets_the_given_upstreams_and_listen_port():
    text = proxy.site_config([4001, 4002, 4003], 5000)
    assert "listen 127.0.0.1:5000;" in text and "listen 80;" not in text
    upstream = text[text.index("upstream medborgarloften") :]
    upstream = upstream[: upstream.index("}")]
    servers = [line.strip() for line in upstream.splitlines() if line.strip().startswith("server")]
    assert servers == [f"server 127.0.0.1:{port};" for port in (4001, 4002, 4003)]
    # Sticky on nginx's own cookie, websocket upgrade and long reads stay as deployed.
    assert "hash $medborgarloften_route consistent;" in text
    assert "proxy_set_header Upgrade $http_upgrade;" in text
    assert "proxy_read_timeout 1d;" in text


def test_site_config_refuses_a_file_it_cannot_place_ports_in():
    with pytest.raises(ValueError, match="upstream"):
        proxy.site_config([4001], 5000, text="server { listen 8080; }")


def test_nginx_accepts_the_rendered_configuration(tmp_path):
    binary = proxy.nginx_binary()
    if binary is None:
        pytest.skip("nginx is not installed (apt-get install nginx)")
    (tmp_path / "medborgarloften.conf").write_text(proxy.site_config([4001, 4002], 5000))
    (tmp_path / "nginx.conf").write_text(proxy.MAIN.format(work=tmp_path))
    for name in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi"):
        (tmp_path / name).mkdir()
    check = subprocess.run(
        [binary, "-t", "-p", str(tmp_path), "-e", str(tmp_path / "error.log"),
         "-c", str(tmp_path / "nginx.conf")],
        capture_output=True, text=True,
    )  # fmt: skip
    assert check.returncode == 0, check.stderr
