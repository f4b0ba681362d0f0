/* The one header of the CWebSockets module: libwebsockets plus the inline helpers Swift
 * needs (function-like macros, LWS_PRE headroom, close codes, client set-up). */
#ifndef CWS_SHIM_H
#define CWS_SHIM_H
#include <libwebsockets.h>
#include "cws_client.h"
#include "cws_server.h"
#endif
