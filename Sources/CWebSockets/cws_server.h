/* Server-side helpers for JembatanServer: what Swift cannot import or should not build
 * by hand (context set-up, macros, LWS_PRE headroom, usec timers). Every symbol cws_. */
#ifndef CWS_SERVER_H
#define CWS_SERVER_H

#include <libwebsockets.h>
#include <uv.h>
#include <signal.h>
#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

typedef int (*cws_callback_t)(struct lws *wsi, enum lws_callback_reasons reason, void *user,
                              void *in, size_t len);

/* Creates the server context on `loop`, a libuv loop the caller owns (a "foreign" loop,
 * so lws installs no signal handlers of its own and the caller decides when the loop
 * stops). UTF-8 validation on, no extensions (permessage-deflate stays off: DESIGN.md),
 * one protocol "jembatan.v1" that also serves HTTP. `iface` is an address; `ipv6` 0
 * disables IPv6 so an IPv4 address binds only itself, 1 binds an IPv6 address V6ONLY.
 * `tls_cert` and `tls_key` (PEM files) turn on TLS for both WebSocket and HTTP.
 * Returns NULL on failure (port in use, bad address). */
static inline struct lws_context *_Nullable cws_server_create(
    uv_loop_t *_Nonnull loop, const char *_Nullable iface, int port, int ipv6,
    cws_callback_t _Nonnull callback, void *_Nullable user, size_t per_session_size,
    size_t rx_buffer_size, const char *_Nullable tls_cert, const char *_Nullable tls_key)
{
    struct lws_protocols *protocols = calloc(2, sizeof(*protocols));
    /* A zeroed policy: no per-connection validity timer (without one lws would ping every
     * 300 s). The broker pings from its own once-a-second sweep instead: with libuv 1.44,
     * lws 4.1 re-arms its timer with 0 ms when the next one is under 1 ms away, and libuv
     * runs it again in the same pass, so each connection's timer cost up to 1 ms of spinning. */
    lws_retry_bo_t *retry = calloc(1, sizeof(*retry));
    struct lws_context_creation_info info;
    void *loops[1] = {loop};
    if (!protocols || !retry) {
        free(protocols);
        free(retry);
        return NULL;
    }
    protocols[0].name = "jembatan.v1";
    protocols[0].callback = callback;
    protocols[0].per_session_data_size = per_session_size;
    protocols[0].rx_buffer_size = rx_buffer_size;
    memset(&info, 0, sizeof(info));
    info.port = port;
    info.iface = iface;
    info.protocols = protocols;
    info.user = user;
    info.foreign_loops = loops;
    info.retry_and_idle_policy = retry;
    info.timeout_secs = 20;
    info.options = LWS_SERVER_OPTION_LIBUV | LWS_SERVER_OPTION_VALIDATE_UTF8;
    if (!ipv6)
        info.options |= LWS_SERVER_OPTION_DISABLE_IPV6;
    else
        info.options |= LWS_SERVER_OPTION_IPV6_V6ONLY_MODIFY | LWS_SERVER_OPTION_IPV6_V6ONLY_VALUE;
    /* wss:// and https:// through lws' OpenSSL when a certificate and key are given (the files
     * are read while the context is created). */
    if (tls_cert && tls_key) {
        info.options |= LWS_SERVER_OPTION_DO_SSL_GLOBAL_INIT;
        info.ssl_cert_filepath = tls_cert;
        info.ssl_private_key_filepath = tls_key;
    }
    return lws_create_context(&info);
}

/* A new libuv loop for a server, or NULL. */
static inline uv_loop_t *_Nullable cws_loop_new(void)
{
    uv_loop_t *loop = malloc(sizeof(*loop));
    if (loop && uv_loop_init(loop)) {
        free(loop);
        return NULL;
    }
    return loop;
}

/* Runs the loop on the calling thread until cws_loop_stop. */
static inline void cws_loop_run(uv_loop_t *_Nonnull loop) { uv_run(loop, UV_RUN_DEFAULT); }

/* Makes cws_loop_run return; call it on the loop's thread. The lws context is left alone,
 * not destroyed: lws 4.1.6 closes its wake-up pipe twice in lws_context_destroy, which can
 * close a descriptor another thread has just been given. The process's exit frees it. */
static inline void cws_loop_stop(uv_loop_t *_Nonnull loop) { uv_stop(loop); }

/* SIGINT and SIGTERM as loop events: `callback(signum)` runs on the loop's thread. */
typedef void (*cws_signal_cb_t)(int signum);
struct cws__signal_watcher {
    uv_signal_t handle; /* first, so a uv_signal_t * is a watcher * */
    cws_signal_cb_t callback;
};

static inline void cws__signal_fired(uv_signal_t *handle, int signum)
{
    ((struct cws__signal_watcher *)handle)->callback(signum);
}

static inline int cws_loop_watch_signals(uv_loop_t *_Nonnull loop, cws_signal_cb_t _Nonnull callback)
{
    struct cws__signal_watcher *watchers = calloc(2, sizeof(*watchers));
    sigset_t wanted;
    if (!watchers)
        return -1;
    /* A parent may have started us with these blocked (threads of a Swift test runner do):
     * unblock them on this, the loop's, thread so the watchers hear them. */
    sigemptyset(&wanted);
    sigaddset(&wanted, SIGINT);
    sigaddset(&wanted, SIGTERM);
    pthread_sigmask(SIG_UNBLOCK, &wanted, NULL);
    for (int n = 0; n < 2; n++) {
        watchers[n].callback = callback;
        uv_signal_init(loop, &watchers[n].handle);
        /* Unreferenced: they must not keep the loop alive on their own. */
        uv_unref((uv_handle_t *)&watchers[n].handle);
    }
    return uv_signal_start(&watchers[0].handle, cws__signal_fired, SIGINT) ||
           uv_signal_start(&watchers[1].handle, cws__signal_fired, SIGTERM);
}

/* The port the default vhost listens on (the real one when asked for port 0). */
static inline int cws_server_port(struct lws_context *_Nonnull context)
{
    struct lws_vhost *vhost = lws_get_vhost_by_name(context, "default");
    return vhost ? lws_get_vhost_listen_port(vhost) : -1;
}

static inline size_t cws_pre(void) { return LWS_PRE; }

/* Writes one WebSocket text frame. `buffer` starts with LWS_PRE bytes of headroom that
 * lws may overwrite; `length` counts the payload after them. */
static inline int cws_write_text(struct lws *_Nonnull wsi, uint8_t *_Nonnull buffer, size_t length)
{
    return lws_write(wsi, buffer + LWS_PRE, length, LWS_WRITE_TEXT);
}

/* The same for a binary message (the conformance echo only). */
static inline int cws_write_binary(struct lws *_Nonnull wsi, uint8_t *_Nonnull buffer, size_t length)
{
    return lws_write(wsi, buffer + LWS_PRE, length, LWS_WRITE_BINARY);
}

/* Writes bytes that are already whole WebSocket frames (RFC 6455 5.2; a server's are not
 * masked), any number of them, in one send. On a ws connection lws passes LWS_WRITE_HTTP
 * writes through unframed (roles/ws: send_raw) and keeps what the socket does not take for
 * the next POLLOUT, before anything else, so frames stay whole and in order. */
static inline int cws_write_framed(struct lws *_Nonnull wsi, uint8_t *_Nonnull buffer, size_t length)
{
    return lws_write(wsi, buffer, length, LWS_WRITE_HTTP);
}

/* Sets the close code sent when the callback then returns -1. */
static inline void cws_set_close(struct lws *_Nonnull wsi, int code)
{
    lws_close_reason(wsi, (enum lws_close_status)code, NULL, 0);
}

/* Starts a polite close with `code` from a writeable callback: lws queues the close frame
 * and waits for the peer's answer. (Returning -1 from SERVER_WRITEABLE, or a timeout kill,
 * marks the socket unusable in lws 4.1 and drops it without any close frame.) */
static inline void cws_close_politely(struct lws *_Nonnull wsi, int code)
{
    lws_close_reason(wsi, (enum lws_close_status)code, NULL, 0);
    lws_set_timeout(wsi, PENDING_TIMEOUT_CLOSE_SEND, LWS_TO_KILL_SYNC);
}

/* Drops a connection at once, without a close frame: a dead peer would never read one. */
static inline void cws_drop(struct lws *_Nonnull wsi)
{
    lws_set_timeout(wsi, PENDING_TIMEOUT_CLOSE_SEND, LWS_TO_KILL_ASYNC);
}

/* Drops the connection after `seconds` if it has not closed by then: a peer that stops
 * reading can never receive its close frame. */
static inline void cws_close_deadline(struct lws *_Nonnull wsi, int seconds)
{
    lws_set_timeout(wsi, PENDING_TIMEOUT_CLOSE_SEND, seconds);
}

/* Writes a whole HTTP response (headers and body) and ends the transaction.
 * Returns non-zero when the connection should be closed. */
static inline int cws_http_respond(struct lws *_Nonnull wsi, unsigned int status,
                                   const char *_Nonnull content_type,
                                   const char *_Nullable security_policy,
                                   const uint8_t *_Nullable body, size_t length)
{
    size_t cap = LWS_PRE + 1024 + length;
    uint8_t *buffer = malloc(cap);
    uint8_t *start, *p, *end;
    int failed;
    if (!buffer)
        return -1;
    start = p = buffer + LWS_PRE;
    end = buffer + LWS_PRE + 1024;
    failed = lws_add_http_common_headers(wsi, status, content_type, (lws_filepos_t)length, &p, end) ||
             lws_add_http_header_by_name(wsi, (const unsigned char *)"cache-control:",
                                         (const unsigned char *)"no-store", 8, &p, end) ||
             lws_add_http_header_by_name(wsi, (const unsigned char *)"x-content-type-options:",
                                         (const unsigned char *)"nosniff", 7, &p, end) ||
             lws_add_http_header_by_name(wsi, (const unsigned char *)"referrer-policy:",
                                         (const unsigned char *)"no-referrer", 11, &p, end) ||
             (security_policy &&
              lws_add_http_header_by_name(wsi, (const unsigned char *)"content-security-policy:",
                                          (const unsigned char *)security_policy,
                                          (int)strlen(security_policy), &p, end)) ||
             lws_finalize_write_http_header(wsi, start, &p, end);
    if (!failed && length) {
        memcpy(buffer + LWS_PRE + 1024, body, length);
        failed = lws_write(wsi, buffer + LWS_PRE + 1024, length, LWS_WRITE_HTTP_FINAL) != (int)length;
    }
    free(buffer);
    if (failed)
        return -1;
    return lws_http_transaction_completed(wsi) ? -1 : 0;
}

/* A copy of a request header, or -1 when absent. */
static inline int cws_header(struct lws *_Nonnull wsi, enum lws_token_indexes token,
                             char *_Nonnull buffer, int length)
{
    if (lws_hdr_total_length(wsi, token) <= 0 || lws_hdr_total_length(wsi, token) >= length)
        return -1;
    return lws_hdr_copy(wsi, buffer, length, token);
}

/* A named HTTP header ("accept-language:"), or -1 when absent. */
static inline int cws_custom_header(struct lws *_Nonnull wsi, const char *_Nonnull name,
                                    char *_Nonnull buffer, int length)
{
    int n = (int)strlen(name);
    if (lws_hdr_custom_length(wsi, name, n) <= 0)
        return -1;
    return lws_hdr_custom_copy(wsi, buffer, length, name, n);
}

/* A loop timer that calls back with a user pointer, on the loop's thread. (A libuv timer:
 * an lws_sul scheduled from outside an lws callback may wait for lws' next wake-up.) */
typedef void (*cws_timer_cb_t)(void *_Nullable user);
struct cws_timer {
    uv_timer_t handle; /* first, so a uv_timer_t * is a cws_timer * */
    cws_timer_cb_t callback;
    void *user;
};

static inline void cws__timer_fired(uv_timer_t *handle)
{
    struct cws_timer *timer = (struct cws_timer *)handle;
    timer->callback(timer->user);
}

static inline struct cws_timer *_Nullable cws_timer_new(uv_loop_t *_Nonnull loop,
                                                        cws_timer_cb_t _Nonnull callback,
                                                        void *_Nullable user)
{
    struct cws_timer *timer = calloc(1, sizeof(*timer));
    if (timer) {
        uv_timer_init(loop, &timer->handle);
        timer->callback = callback;
        timer->user = user;
    }
    return timer;
}

/* Runs the timer's callback once after `milliseconds` (again if rescheduled). */
static inline void cws_timer_schedule(struct cws_timer *_Nonnull timer, uint64_t milliseconds)
{
    uv_timer_start(&timer->handle, cws__timer_fired, milliseconds, 0);
}

static inline void cws_timer_cancel(struct cws_timer *_Nonnull timer)
{
    uv_timer_stop(&timer->handle);
}

#endif
