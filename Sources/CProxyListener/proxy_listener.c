#define _GNU_SOURCE /* accept4 */
#include "proxy_listener.h"

#include <errno.h>
#include <netinet/in.h>
#include <stdio.h>
#include <netdb.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

struct cpl_listener {
    uv_poll_t poll; /* first: a uv_poll_t * is a listener * */
    uv_loop_t *loop;
    int fd;
    int port;
    int timeout_ms;
    cpl_readable_cb readable;
    cpl_ready_cb ready;
    cpl_dropped_cb dropped;
    void *user;
    struct cpl_pending *pending; /* sockets waiting for their header */
};

/* One accepted socket until its header is read. The poll and the timer must both be closed
 * before it is freed, and before the socket is adopted: closing a uv_poll_t removes its
 * descriptor from epoll, which would undo libwebsockets' own registration of it. */
struct cpl_pending {
    uv_poll_t poll;
    uv_timer_t timer;
    struct cpl_listener *listener;
    struct cpl_pending *next, *previous;
    int fd;
    int open_handles;
    int outcome; /* 1: adopt once closed; -1: drop */
};

static void cpl__unlink(struct cpl_pending *p)
{
    if (p->previous)
        p->previous->next = p->next;
    else if (p->listener)
        p->listener->pending = p->next;
    if (p->next)
        p->next->previous = p->previous;
    p->next = p->previous = NULL;
}

static void cpl__pending_closed(uv_handle_t *handle)
{
    struct cpl_pending *p = handle->data;
    if (--p->open_handles > 0)
        return;
    if (p->listener) {
        if (p->outcome == 1) {
            p->listener->ready(p->listener->user, p->fd);
        } else {
            close(p->fd);
            p->listener->dropped(p->listener->user, p->fd);
        }
    } else {
        close(p->fd); /* the listener itself is gone */
    }
    free(p);
}

static void cpl__finish(struct cpl_pending *p, int outcome)
{
    if (p->open_handles != 2 || uv_is_closing((uv_handle_t *)&p->poll))
        return;
    p->outcome = outcome;
    cpl__unlink(p);
    uv_close((uv_handle_t *)&p->poll, cpl__pending_closed);
    uv_close((uv_handle_t *)&p->timer, cpl__pending_closed);
}

static void cpl__pending_readable(uv_poll_t *handle, int status, int events)
{
    struct cpl_pending *p = handle->data;
    int outcome;
    (void)events;
    if (status < 0) {
        cpl__finish(p, -1);
        return;
    }
    outcome = p->listener->readable(p->listener->user, p->fd);
    if (outcome != 0)
        cpl__finish(p, outcome > 0 ? 1 : -1);
}

static void cpl__pending_timeout(uv_timer_t *timer)
{
    cpl__finish(timer->data, -1);
}

static void cpl__accept(uv_poll_t *handle, int status, int events)
{
    struct cpl_listener *listener = (struct cpl_listener *)handle;
    (void)events;
    if (status < 0)
        return;
    for (;;) {
        int fd = accept4(listener->fd, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC);
        struct cpl_pending *p;
        if (fd < 0)
            return; /* EAGAIN: all taken; anything else: try at the next wake-up */
        p = calloc(1, sizeof(*p));
        if (!p || uv_poll_init(listener->loop, &p->poll, fd) != 0) {
            free(p);
            close(fd);
            continue;
        }
        uv_timer_init(listener->loop, &p->timer);
        p->poll.data = p->timer.data = p;
        p->fd = fd;
        p->open_handles = 2;
        p->listener = listener;
        p->next = listener->pending;
        if (p->next)
            p->next->previous = p;
        listener->pending = p;
        uv_poll_start(&p->poll, UV_READABLE, cpl__pending_readable);
        uv_timer_start(&p->timer, cpl__pending_timeout, (uint64_t)listener->timeout_ms, 0);
    }
}

struct cpl_listener *cpl_listen(uv_loop_t *loop, const char *host, int port, int timeout_ms,
                                cpl_readable_cb readable, cpl_ready_cb ready, cpl_dropped_cb dropped,
                                void *user)
{
    struct addrinfo hints, *found = NULL;
    struct sockaddr_storage bound;
    socklen_t length = sizeof(bound);
    char service[16];
    int fd = -1, yes = 1;
    struct cpl_listener *listener;
    memset(&hints, 0, sizeof(hints));
    hints.ai_flags = AI_NUMERICHOST | AI_NUMERICSERV | AI_PASSIVE;
    hints.ai_socktype = SOCK_STREAM;
    snprintf(service, sizeof(service), "%d", port);
    if (getaddrinfo(host, service, &hints, &found) != 0)
        return NULL;
    fd = socket(found->ai_family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    if (fd >= 0 && found->ai_family == AF_INET6)
        setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &yes, sizeof(yes));
    if (fd < 0 || setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &yes, sizeof(yes)) != 0 ||
        bind(fd, found->ai_addr, found->ai_addrlen) != 0 || listen(fd, 1024) != 0 ||
        getsockname(fd, (struct sockaddr *)&bound, &length) != 0) {
        if (fd >= 0)
            close(fd);
        freeaddrinfo(found);
        return NULL;
    }
    freeaddrinfo(found);
    listener = calloc(1, sizeof(*listener));
    if (!listener || uv_poll_init(loop, &listener->poll, fd) != 0) {
        free(listener);
        close(fd);
        return NULL;
    }
    listener->loop = loop;
    listener->fd = fd;
    listener->port = ntohs(bound.ss_family == AF_INET6 ? ((struct sockaddr_in6 *)&bound)->sin6_port
                                                       : ((struct sockaddr_in *)&bound)->sin_port);
    listener->timeout_ms = timeout_ms;
    listener->readable = readable;
    listener->ready = ready;
    listener->dropped = dropped;
    listener->user = user;
    uv_poll_start(&listener->poll, UV_READABLE, cpl__accept);
    return listener;
}

int cpl_port(const struct cpl_listener *listener) { return listener->port; }

static void cpl__listener_closed(uv_handle_t *handle)
{
    struct cpl_listener *listener = (struct cpl_listener *)handle;
    close(listener->fd);
    free(listener);
}

void cpl_close(struct cpl_listener *listener)
{
    while (listener->pending) {
        struct cpl_pending *p = listener->pending;
        cpl__finish(p, -1);
        p->listener = NULL; /* its close callbacks come after ours is gone */
    }
    uv_close((uv_handle_t *)&listener->poll, cpl__listener_closed);
}
