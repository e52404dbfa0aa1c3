# Varnish in front of the storefront (docs/performance.md, ADR 0019): anonymous
# pages shared between shoppers of one price segment, and dropped by tag when
# an event says something they show changed.
#
#   varnishd -a :8108 -f /etc/varnish/storefront.vcl -s malloc,256m
#
# Tested by storefront/tests/test_front_cache.py, which runs this very file
# (the backend's port replaced by the test server's) under Debian's varnish 7.1.
vcl 4.1;

# The application: gunicorn (or `manage.py runserver`) on APP_PORT.
backend storefront {
    .host = "127.0.0.1";
    .port = "8107";
    .connect_timeout = 2s;
    .first_byte_timeout = 30s;
}

# Who may ban: the hosts running the relay's workers (HTTP_CACHE_PURGE_URLS).
acl purgers {
    "127.0.0.1";
    "::1";
}

sub vcl_recv {
    unset req.http.X-Cache;
    if (req.method == "BAN") {
        if (client.ip !~ purgers) {
            return (synth(403, "Forbidden"));
        }
        # Tags as the application writes them (storefront/cache_tags.py): no
        # regular-expression syntax can get into the ban below.
        if (req.http.X-Ban-Tags !~ "^[A-Za-z0-9:%_~-]+( [A-Za-z0-9:%_~-]+)*$") {
            return (synth(400, "X-Ban-Tags: space-separated tags expected"));
        }
        # Every stored page that names one of the tags, in every price segment.
        ban("obj.http.X-Cache-Tags ~ (^|\s)(" + regsuball(req.http.X-Ban-Tags, " ", "|") + ")(\s|$)");
        return (synth(200, "Banned"));
    }
    if (req.method != "GET" && req.method != "HEAD") {
        return (pass);
    }
    # Signed-in shoppers (a session cookie) and API clients with a token
    # always reach the application.
    if (req.http.Authorization || req.http.Cookie ~ "(^|;\s*)sessionid=") {
        return (pass);
    }
    # Anonymous: look the page up even though the request carries cookies
    # (Varnish's built-in rules would pass it); the application alone says
    # whether its answer may be shared (vcl_backend_response).
    return (hash);
}

sub vcl_hash {
    # One copy per page and price segment (the cookie the application sets
    # from pricing.api.price_segment), not one per visitor's cookies.
    hash_data(req.url);
    if (req.http.Host) {
        hash_data(req.http.Host);
    } else {
        hash_data(server.ip);
    }
    if (req.http.Cookie ~ "(^|;\s*)price_segment=") {
        hash_data(regsub(req.http.Cookie, "^(.*;\s*)?price_segment=([^;]*).*$", "\2"));
    }
    return (lookup);
}

sub vcl_backend_response {
    if (bereq.uncacheable) {
        return (deliver);
    }
    # Stored only when the application says the page is shareable
    # (storefront/http_cache.py: Cache-Control public, s-maxage); anything
    # else, and anything setting a cookie, is fetched for each request.
    if (beresp.http.Cache-Control !~ "(^|,)\s*public\s*(,|$)" || beresp.http.Set-Cookie) {
        set beresp.uncacheable = true;
        set beresp.ttl = 10s;
        return (deliver);
    }
    # The hash already holds what the page depends on (URL, segment);
    # Vary: Cookie would keep one copy per visitor.
    unset beresp.http.Vary;
    set beresp.grace = 10s;
    return (deliver);
}

sub vcl_hit {
    set req.http.X-Cache = "HIT";
}

sub vcl_miss {
    set req.http.X-Cache = "MISS";
}

sub vcl_pass {
    set req.http.X-Cache = "PASS";
}

sub vcl_deliver {
    # The tags are for this cache only: shoppers need not see them.
    unset resp.http.X-Cache-Tags;
    set resp.http.X-Cache = req.http.X-Cache;
}
