/* A listening socket on the broker's libuv loop for connections that start with a PROXY
 * protocol header (HAProxy's v1 text or v2 binary): load balancers and nginx's stream module
 * say who the client is before the first byte of HTTP or TLS. Each accepted socket is
 * watched until the caller has read its header (it reads and parses; this file only waits),
 * then handed back to be adopted by libwebsockets. Every symbol is prefixed cpl_. */
#ifndef CPL_PROXY_LISTENER_H
#define CPL_PROXY_LISTENER_H

#include <uv.h>

/* The socket can be read. Return 0 to wait for more, 1 when the header was read (the socket
 * is then let go and `ready` follows), -1 to refuse (the socket is closed; `dropped` follows). */
typedef int (*cpl_readable_cb)(void *_Nullable user, int fd);
/* The header was read and this file no longer watches `fd`: adopt it now (it is yours). */
typedef void (*cpl_ready_cb)(void *_Nullable user, int fd);
/* `fd` was refused or timed out and is closed: forget what was kept for it. */
typedef void (*cpl_dropped_cb)(void *_Nullable user, int fd);

struct cpl_listener;

/* Listens on `host` (a numeric IPv4 or IPv6 address) and `port` (0: any free one) on `loop`.
 * A socket whose header is not complete within `timeout_ms` is dropped. NULL on failure. */
struct cpl_listener *_Nullable cpl_listen(uv_loop_t *_Nonnull loop, const char *_Nonnull host, int port,
                                          int timeout_ms, cpl_readable_cb _Nonnull readable,
                                          cpl_ready_cb _Nonnull ready, cpl_dropped_cb _Nonnull dropped,
                                          void *_Nullable user);

/* The port listened on. */
int cpl_port(const struct cpl_listener *_Nonnull listener);

/* Stops accepting and closes the listening socket (sockets waiting for their header are
 * dropped). Call it on the loop's thread; the listener is freed once libuv has let go. */
void cpl_close(struct cpl_listener *_Nonnull listener);

#endif
