#include "CCivetwebShim.h"
#include <pthread.h>
#include <stddef.h>

enum kind { REQUEST, CONNECT, READY, CLOSE };
struct call {
    enum kind kind;
    struct ottt_web_callbacks *callbacks;
    struct mg_connection *conn;
    int result;
};

static void *run(void *p) {
    struct call *c = p;
    switch (c->kind) {
    case REQUEST: c->result = c->callbacks->request(c->conn, c->callbacks->data); break;
    case CONNECT: c->result = c->callbacks->connect(c->conn, c->callbacks->data); break;
    case READY: c->callbacks->ready(c->conn, c->callbacks->data); break;
    case CLOSE: c->callbacks->close(c->conn, c->callbacks->data); break;
    }
    return NULL;
}

static int on_big_stack(enum kind kind, const struct mg_connection *conn, void *data, int failed) {
    struct call c = {kind, data, (struct mg_connection *)conn, failed};
    pthread_attr_t attr;
    pthread_t thread;
    if (pthread_attr_init(&attr) != 0) return failed;
    pthread_attr_setstacksize(&attr, 8u << 20);
    int made = pthread_create(&thread, &attr, run, &c);
    pthread_attr_destroy(&attr);
    if (made != 0) return failed;
    pthread_join(thread, NULL);
    return c.result;
}

static int request(struct mg_connection *conn, void *data) { return on_big_stack(REQUEST, conn, data, 0); }
static int connect(const struct mg_connection *conn, void *data) { return on_big_stack(CONNECT, conn, data, 1); }
static void ready(struct mg_connection *conn, void *data) { on_big_stack(READY, conn, data, 0); }
static int incoming(struct mg_connection *conn, int bits, char *bytes, size_t length, void *data) {
    (void)conn; (void)bits; (void)bytes; (void)length; (void)data;
    return 1;                                   /* the view's sockets only send; keep them open */
}
static void close_(const struct mg_connection *conn, void *data) { on_big_stack(CLOSE, conn, data, 0); }

void ottt_web_set_handlers(struct mg_context *ctx, const char *uri, const char *socket_uri,
                           struct ottt_web_callbacks *callbacks) {
    mg_set_request_handler(ctx, uri, request, callbacks);
    mg_set_websocket_handler(ctx, socket_uri, connect, ready, incoming, close_, callbacks);
}
