"""Ways to deliver a message: SMTP in production, console or files in development."""

from __future__ import annotations

import logging
import smtplib
import ssl
from email.message import EmailMessage
from pathlib import Path

log = logging.getLogger(__name__)


def deliver(message: EmailMessage, config) -> None:
    """Hand `message` to the backend named by MAIL_BACKEND; raise if it fails."""
    backend = config["MAIL_BACKEND"]
    if backend == "smtp":
        _deliver_smtp(message, config)
    elif backend == "file":
        _deliver_file(message, Path(config["MAIL_FILE_DIR"]))
    elif backend == "console":
        log.warning("e-mail (console backend):\n%s", message.as_string())
    else:
        raise ValueError(f"unknown MAIL_BACKEND {backend!r}")


def _deliver_smtp(message: EmailMessage, config) -> None:
    host, port = config["MAIL_SERVER"], config["MAIL_PORT"]
    timeout = config["MAIL_TIMEOUT"]
    if config["MAIL_USE_SSL"]:
        smtp = smtplib.SMTP_SSL(
            host, port, timeout=timeout, context=ssl.create_default_context()
        )
    else:
        smtp = smtplib.SMTP(host, port, timeout=timeout)
    with smtp:
        if config["MAIL_USE_TLS"]:
            smtp.starttls(context=ssl.create_default_context())
        if config["MAIL_USERNAME"]:
            smtp.login(config["MAIL_USERNAME"], config["MAIL_PASSWORD"])
        smtp.send_message(message)


def _deliver_file(message: EmailMessage, folder: Path) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    name = message["Message-ID"].strip("<>").replace("@", "_").replace("/", "_")
    (folder / f"{name}.eml").write_bytes(bytes(message))
