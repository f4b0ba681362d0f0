/* The one header of the CHiredis module: Debian's hiredis 0.14.1. Nothing else is needed:
 * Swift calls the argv forms (redisCommandArgv, redisAppendCommandArgv), never the variadic
 * redisCommand, and the REDIS_REPLY_* and REDIS_OK/ERR constants import as plain macros. */
#ifndef CHIREDIS_SHIM_H
#define CHIREDIS_SHIM_H
#include <hiredis/hiredis.h>
#endif
