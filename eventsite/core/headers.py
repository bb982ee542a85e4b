"""Security headers on every response, and trust in the proxies in front of the app."""
from werkzeug.middleware.proxy_fix import ProxyFix

# No inline script or style anywhere: templates link static/js and static/css only.
CONTENT_SECURITY_POLICY = "; ".join([
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' data:",
    "font-src 'self'",
    "connect-src 'self'",
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
])
# Check-in scans QR codes with the camera, on this site only; nothing else is ever needed.
PERMISSIONS_POLICY = "camera=(self), microphone=(), geolocation=(), payment=(), usb=()"

STATIC_HEADERS = {
    "Content-Security-Policy": CONTENT_SECURITY_POLICY,
    "X-Content-Type-Options": "nosniff",
    # Manage and invitation tokens travel in URLs: a link followed to another site must not carry
    # the page address with it. "same-origin" rather than "no-referrer" because Flask-WTF checks
    # the Referer of HTTPS form posts against our own host.
    "Referrer-Policy": "same-origin",
    "Permissions-Policy": PERMISSIONS_POLICY,
    "X-Frame-Options": "DENY",
    "Cross-Origin-Opener-Policy": "same-origin",
}


def allow_framing_by(response, sources: str):
    """Let the sites in sources (a CSP frame-ancestors source list) frame this response, and no others."""
    response.headers["Content-Security-Policy"] = CONTENT_SECURITY_POLICY.replace(
        "frame-ancestors 'none'", f"frame-ancestors {sources}")
    return response


def _framing_allowed(response) -> bool:
    return "frame-ancestors 'none'" not in response.headers.get("Content-Security-Policy", "frame-ancestors 'none'")


def register_security_headers(app) -> None:
    """Every response says how a browser may use it; production also pins HTTPS (HSTS)."""
    headers = dict(STATIC_HEADERS)
    if app.config["EVENTSITE_ENV"] == "production":
        headers["Strict-Transport-Security"] = f"max-age={app.config['HSTS_MAX_AGE']}; includeSubDomains"

    @app.after_request
    def add_security_headers(response):
        for name, value in headers.items():
            if name == "X-Frame-Options" and _framing_allowed(response):
                continue  # a page that names who may frame it (allow_framing_by): frame-ancestors decides
            response.headers.setdefault(name, value)
        return response

    proxies = app.config.get("TRUSTED_PROXIES") or 0
    if proxies:
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=proxies, x_proto=proxies, x_host=proxies, x_port=proxies)
