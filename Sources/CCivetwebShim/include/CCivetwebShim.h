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

/// A WebSocket client that only counts what it receives (civetweb's client API; the counting runs in C on
/// civetweb's reader thread, so no Swift runs on its small stack).
struct ottt_web_reader;

/// Connects to ws://host:port/path; NULL with `error` filled when it cannot.
struct ottt_web_reader *ottt_web_reader_open(const char *host, int port, const char *path, char *error,
                                             size_t error_size);
/// Messages (text or binary), their bytes, and whether the server closed the connection.
long ottt_web_reader_messages(const struct ottt_web_reader *reader);
long ottt_web_reader_bytes(const struct ottt_web_reader *reader);
int ottt_web_reader_closed(const struct ottt_web_reader *reader);
/// Closes the connection (waiting for civetweb's reader thread) and frees the reader.
void ottt_web_reader_free(struct ottt_web_reader *reader);

/// Sets the calling thread's nice value (Linux: setpriority on a thread id affects that thread only); 0 or -1.
int ottt_web_lower_priority(int nice);
