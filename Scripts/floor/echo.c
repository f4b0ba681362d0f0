/* The floor: a minimal libwebsockets echo server on a libuv loop, as the broker runs it
 * (UTF-8 validation on, messages reassembled and echoed in order). Built by the scripts that
 * compare the broker with raw libwebsockets. Usage: echo PORT [poll]  ("poll": lws' own loop). */
#include <uv.h>
#include <libwebsockets.h>
#include <stdlib.h>
#include <string.h>

struct message {
    unsigned char *bytes;
    size_t length;
    int binary;
};

struct session {
    struct message queue[64];
    int head, tail;
    unsigned char *incoming;
    size_t incoming_length;
    int incoming_binary;
};

static int callback(struct lws *wsi, enum lws_callback_reasons reason, void *user, void *in, size_t len)
{
    struct session *s = user;
    switch (reason) {
    case LWS_CALLBACK_RECEIVE:
        if (lws_is_first_fragment(wsi)) {
            s->incoming_length = 0;
            s->incoming_binary = lws_frame_is_binary(wsi);
        }
        s->incoming = realloc(s->incoming, LWS_PRE + s->incoming_length + len + 1);
        memcpy(s->incoming + LWS_PRE + s->incoming_length, in, len);
        s->incoming_length += len;
        if (lws_is_final_fragment(wsi) && !lws_remaining_packet_payload(wsi) && s->tail - s->head < 64) {
            struct message *m = &s->queue[s->tail++ % 64];
            m->bytes = malloc(LWS_PRE + s->incoming_length + 1);
            memcpy(m->bytes + LWS_PRE, s->incoming + LWS_PRE, s->incoming_length);
            m->length = s->incoming_length;
            m->binary = s->incoming_binary;
            lws_callback_on_writable(wsi);
        }
        break;
    case LWS_CALLBACK_SERVER_WRITEABLE:
        if (s->head < s->tail) {
            struct message *m = &s->queue[s->head++ % 64];
            lws_write(wsi, m->bytes + LWS_PRE, m->length, m->binary ? LWS_WRITE_BINARY : LWS_WRITE_TEXT);
            free(m->bytes);
            if (s->head < s->tail)
                lws_callback_on_writable(wsi);
        }
        break;
    case LWS_CALLBACK_CLOSED:
        while (s->head < s->tail)
            free(s->queue[s->head++ % 64].bytes);
        free(s->incoming);
        break;
    default:
        break;
    }
    return 0;
}

static struct lws_protocols protocols[] = {
    {"echo", callback, sizeof(struct session), 4096, 0, NULL, 0},
    {NULL, NULL, 0, 0, 0, NULL, 0},
};

int main(int argc, char **argv)
{
    struct lws_context_creation_info info;
    static uv_loop_t loop;
    static void *loops[1];
    int poll = argc > 2 && !strcmp(argv[2], "poll");
    memset(&info, 0, sizeof info);
    info.port = argc > 1 ? atoi(argv[1]) : 9001;
    info.protocols = protocols;
    info.options = LWS_SERVER_OPTION_VALIDATE_UTF8;
    if (!poll) {
        uv_loop_init(&loop);
        loops[0] = &loop;
        info.foreign_loops = loops;
        info.options |= LWS_SERVER_OPTION_LIBUV;
    }
    lws_set_log_level(LLL_ERR, NULL);
    struct lws_context *context = lws_create_context(&info);
    if (!context)
        return 1;
    if (poll)
        while (lws_service(context, 0) >= 0)
            ;
    else
        uv_run(&loop, UV_RUN_DEFAULT);
    return 0;
}
