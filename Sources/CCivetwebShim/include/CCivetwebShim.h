// civetweb runs its callbacks on worker threads with small stacks (Debian's build: 100 KB), too small for Swift's
// runtime (type metadata is built on first use, recursively). These trampolines run each callback on a thread of
// its own with an 8 MB stack and wait for it; the connection stays valid meanwhile.
#pragma once
#include <civetweb.h>

struct ottt_web_callbacks {
    int (*request)(struct mg_connection *conn, void *data);
    int (*connect)(const struct mg_connection *conn, void *data);
    void (*ready)(struct mg_connection *conn, void *data);
    void (*close)(const struct mg_connection *conn, void *data);
    void *data;
};

/// Routes every request under `uri` and WebSockets at `socket_uri` to `callbacks` (which must outlive the context).
void ottt_web_set_handlers(struct mg_context *ctx, const char *uri, const char *socket_uri,
                           struct ottt_web_callbacks *callbacks);
