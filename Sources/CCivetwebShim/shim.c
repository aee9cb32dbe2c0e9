#define _GNU_SOURCE
#include "CCivetwebShim.h"
#include <pthread.h>
#include <stdatomic.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <unistd.h>

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

struct ottt_web_reader {
    struct mg_connection *conn;
    _Atomic long messages, bytes;
    _Atomic int closed;
};

static int reader_data(struct mg_connection *conn, int bits, char *bytes, size_t length, void *data) {
    (void)conn; (void)bytes;
    struct ottt_web_reader *r = data;
    int opcode = bits & 0xf;
    if (opcode == MG_WEBSOCKET_OPCODE_CONNECTION_CLOSE) return 0;
    if (opcode == MG_WEBSOCKET_OPCODE_TEXT || opcode == MG_WEBSOCKET_OPCODE_BINARY) {
        atomic_fetch_add(&r->messages, 1);
        atomic_fetch_add(&r->bytes, (long)length);
    }
    return 1;
}

static void reader_close(const struct mg_connection *conn, void *data) {
    (void)conn;
    struct ottt_web_reader *r = data;
    atomic_store(&r->closed, 1);
}

struct ottt_web_reader *ottt_web_reader_open(const char *host, int port, const char *path, char *error,
                                             size_t error_size) {
    struct ottt_web_reader *r = calloc(1, sizeof *r);
    if (r == NULL) { snprintf(error, error_size, "out of memory"); return NULL; }
    error[0] = 0;
    r->conn = mg_connect_websocket_client(host, port, 0, error, error_size, path, NULL, reader_data, reader_close, r);
    if (r->conn == NULL) {
        if (error[0] == 0) snprintf(error, error_size, "the server refused the WebSocket");
        free(r);
        return NULL;
    }
    return r;
}

long ottt_web_reader_messages(const struct ottt_web_reader *r) { return atomic_load(&r->messages); }
long ottt_web_reader_bytes(const struct ottt_web_reader *r) { return atomic_load(&r->bytes); }
int ottt_web_reader_closed(const struct ottt_web_reader *r) { return atomic_load(&r->closed); }

void ottt_web_reader_free(struct ottt_web_reader *r) {
    if (r == NULL) return;
    mg_close_connection(r->conn);
    free(r);
}

int ottt_web_lower_priority(int nice) {
    return setpriority(PRIO_PROCESS, (id_t)syscall(SYS_gettid), nice);
}
