/* Client-side helpers for JembatanClient (and generic frame helpers any lws user may take):
 * what Swift cannot import or should not build by hand. Every symbol is prefixed cws_. */
#ifndef CWS_CLIENT_H
#define CWS_CLIENT_H

#include <libwebsockets.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
/* lws only includes uv.h when libuv is built in; Debian loads it as a plugin instead. */
#include <uv.h>

typedef int (*cws_client_callback_t)(struct lws *_Nullable wsi, enum lws_callback_reasons reason,
                                     void *_Nullable user, void *_Nullable in, size_t len);

/* ---- Frames (client or server) ---------------------------------------------------------- */

/* lws_write for a buffer WITHOUT the LWS_PRE headroom lws_write needs in front of the data:
 * the bytes are copied into a headroomed buffer first. `protocol` is any lws_write type
 * (LWS_WRITE_HTTP_HEADERS, LWS_WRITE_HTTP_FINAL, ws flags...). Returns what lws_write
 * returns: `length` on success (lws buffers a partial send itself and finishes it before the
 * next WRITEABLE), negative when the connection must be closed. */
static inline int cws_write_copy(struct lws *_Nonnull wsi, const uint8_t *_Nullable data,
                                 size_t length, enum lws_write_protocol protocol)
{
    uint8_t *buffer = malloc(LWS_PRE + length + 1);
    int written;
    if (!buffer)
        return -1;
    if (length)
        memcpy(buffer + LWS_PRE, data, length);
    written = lws_write(wsi, buffer + LWS_PRE, length, protocol);
    free(buffer);
    return written;
}

/* Writes one WebSocket frame (copying, as cws_write_copy). `binary` picks the opcode of the
 * message's first frame; `first`/`final` place this frame in a fragmented message (both 1
 * for a whole message). Call it from the wsi's WRITEABLE callback, once per callback. */
static inline int cws_write_ws(struct lws *_Nonnull wsi, const uint8_t *_Nullable data,
                               size_t length, int binary, int first, int final)
{
    int flags = lws_write_ws_flags(binary ? LWS_WRITE_BINARY : LWS_WRITE_TEXT, first, final);
    return cws_write_copy(wsi, data, length, (enum lws_write_protocol)flags);
}

/* The status code of a close frame payload (as LWS_CALLBACK_WS_PEER_INITIATED_CLOSE passes it
 * in `in`/`len`: big-endian code, then an optional reason), or -1 when it carries none. */
static inline int cws_close_payload_code(const void *_Nullable in, size_t len)
{
    const uint8_t *p = (const uint8_t *)in;
    if (!p || len < 2)
        return -1;
    return (p[0] << 8) | p[1];
}

/* Sets the close code lws sends when the callback then returns -1. No reason text: reasons
 * could carry user content, and codes are enough for this protocol. */
static inline void cws_close_with(struct lws *_Nonnull wsi, int code)
{
    lws_close_reason(wsi, (enum lws_close_status)code, NULL, 0);
}

/* Drops a connection from outside its own callback (e.g. a connect the caller gave up on).
 * Not lws' lws_wsi_close() macro: in 4.1.6 it expands to `wsi` whatever it is given. */
static inline void cws_kill_async(struct lws *_Nonnull wsi)
{
    lws_set_timeout(wsi, PENDING_TIMEOUT_CLOSE_SEND, LWS_TO_KILL_ASYNC);
}

/* Adds "name: value" to a client handshake; use in LWS_CALLBACK_CLIENT_APPEND_HANDSHAKE_HEADER
 * with that callback's `in` and `len`. `name` must end with ':'. Returns non-zero on no space. */
static inline int cws_client_append_header(struct lws *_Nonnull wsi, void *_Nonnull in, size_t len,
                                           const char *_Nonnull name, const char *_Nonnull value)
{
    unsigned char **p = (unsigned char **)in;
    return lws_add_http_header_by_name(wsi, (const unsigned char *)name,
                                       (const unsigned char *)value, (int)strlen(value), p,
                                       *p + len);
}

/* ---- Client context and its event loop -------------------------------------------------- */

/* One client-only lws context (no listening socket) and the loop that drives it. With libuv,
 * the loop is "foreign" (created here, not by lws) so lws installs no SIGINT/SIGTERM
 * watchers in the process, and we decide when the loop stops. */
struct cws_client {
    struct lws_context *context;
    uv_loop_t *loop;         /* NULL when running on lws' default poll() loop */
    volatile int stop;       /* poll() mode: set on the service thread to end cws_client_run */
    struct lws_protocols protocols[2];
};

/* Creates the context. `use_libuv` 0 forces the poll() loop (one poll() over every fd per
 * wake-up: fine for tests, slow with thousands of idle connections). Returns NULL when the
 * context cannot be created (e.g. the libuv event-lib plugin is missing). */
static inline struct cws_client *_Nullable cws_client_new(cws_client_callback_t _Nonnull callback,
                                                           void *_Nullable user, int use_libuv)
{
    struct lws_context_creation_info info;
    struct cws_client *client = calloc(1, sizeof(*client));
    void *loops[1];
    if (!client)
        return NULL;
    client->protocols[0].name = "jembatan-client";
    client->protocols[0].callback = (lws_callback_function *)callback;
    memset(&info, 0, sizeof(info));
    info.port = CONTEXT_PORT_NO_LISTEN;
    info.protocols = client->protocols;
    info.user = user;
    info.pcontext = &client->context; /* lws clears it when the context is finally freed */
    info.timeout_secs = 10;          /* handshake and close-ack budget */
    info.connect_timeout_secs = 10;  /* the Swift caller usually gives up earlier */
    /* wss:// needs the client SSL context; creating it costs a few ms once per context. */
    info.options |= LWS_SERVER_OPTION_DO_SSL_GLOBAL_INIT;
    /* info.extensions stays NULL: permessage-deflate stays off (DESIGN.md). */
    if (use_libuv) {
        client->loop = malloc(sizeof(uv_loop_t));
        if (!client->loop || uv_loop_init(client->loop)) {
            free(client->loop);
            free(client);
            return NULL;
        }
        loops[0] = client->loop;
        info.foreign_loops = loops;
        info.options |= LWS_SERVER_OPTION_LIBUV;
    }
    client->context = lws_create_context(&info);
    if (!client->context) {
        if (client->loop) {
            uv_loop_close(client->loop);
            free(client->loop);
        }
        free(client);
        return NULL;
    }
    return client;
}

static inline struct lws_context *_Nonnull cws_client_context(struct cws_client *_Nonnull client)
{
    return client->context;
}

/* 1 when the client runs on libuv, 0 on poll(). */
static inline int cws_client_uses_libuv(struct cws_client *_Nonnull client)
{
    return client->loop != NULL;
}

/* Runs the loop on the calling thread (the service thread) until cws_client_stop. */
static inline void cws_client_run(struct cws_client *_Nonnull client)
{
    if (client->loop) {
        uv_run(client->loop, UV_RUN_DEFAULT);
        return;
    }
    while (!client->stop && lws_service(client->context, 0) >= 0)
        ;
}

/* Makes cws_client_run return. Call it on the service thread (from a callback); other
 * threads wake the loop with lws_cancel_service and let the callback call this. */
static inline void cws_client_stop(struct cws_client *_Nonnull client)
{
    client->stop = 1;
    if (client->loop)
        uv_stop(client->loop);
}

static inline void cws__close_leftover(uv_handle_t *_Nonnull handle, void *_Nullable arg)
{
    (void)arg;
    if (!uv_is_closing(handle))
        uv_close(handle, NULL);
}

/* Destroys the context (every open connection gets its close callbacks) and the loop, then
 * frees `client`. Call it on the service thread after cws_client_run returned. */
static inline void cws_client_free(struct cws_client *_Nonnull client)
{
    int budget = 10000;
    lws_context_destroy(client->context);
    if (client->loop) {
        /* With a foreign loop lws closes its uv handles asynchronously and never finishes
         * the destroy by itself: run the loop until those closes are done, then call
         * lws_context_destroy again (it frees the context and clears client->context through
         * info.pcontext). Anything left is closed so uv_loop_close succeeds. */
        while (budget-- && uv_run(client->loop, UV_RUN_NOWAIT))
            ;
        if (client->context)
            lws_context_destroy(client->context);
        uv_walk(client->loop, cws__close_leftover, NULL);
        uv_run(client->loop, UV_RUN_DEFAULT);
        uv_loop_close(client->loop);
        free(client->loop);
    }
    free(client);
}

/* How a client connection is made: plain or TLS (wss://), and from which local address. */
enum cws_tls {
    CWS_TLS_NONE = 0,
    CWS_TLS_VERIFIED = 1,
    /* Any certificate, any host name: for test certificates only. */
    CWS_TLS_UNVERIFIED = 2,
};

/* Starts a WebSocket client connection. Call it on the service thread only (lws 4.1.6 is
 * not thread-safe here). `user` becomes the per-session user pointer the callback gets
 * (lws neither allocates nor frees it). `subprotocol` NULL sends no Sec-WebSocket-Protocol.
 * `source` NULL lets the kernel pick the local address; otherwise the socket is bound to it.
 * Returns NULL when it failed at once (then no CLIENT_CONNECTION_ERROR follows); otherwise
 * the outcome arrives later as CLIENT_ESTABLISHED or CLIENT_CONNECTION_ERROR. */
static inline struct lws *_Nullable cws_client_connect(struct cws_client *_Nonnull client,
                                                       const char *_Nonnull host, int port,
                                                       const char *_Nonnull path,
                                                       const char *_Nullable subprotocol,
                                                       void *_Nonnull user, enum cws_tls tls,
                                                       const char *_Nullable source)
{
    struct lws_client_connect_info info;
    memset(&info, 0, sizeof(info));
    info.context = client->context;
    info.address = host;
    info.port = port;
    info.path = path;
    info.host = host;
    info.origin = host;
    info.protocol = subprotocol;
    info.local_protocol_name = client->protocols[0].name;
    info.userdata = user;
    info.iface = source;
    if (tls != CWS_TLS_NONE)
        info.ssl_connection = LCCSCF_USE_SSL;
    if (tls == CWS_TLS_UNVERIFIED)
        info.ssl_connection |= LCCSCF_ALLOW_SELFSIGNED | LCCSCF_SKIP_SERVER_CERT_HOSTNAME_CHECK;
    return lws_client_connect_via_info(&info);
}

#endif
