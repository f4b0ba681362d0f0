// Word segmentation for search (ICU word break iterator). Plain C, no ICU types.
#ifndef CICU_WORDS_H
#define CICU_WORDS_H

#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/// The words of `text` (UTF-16): letters, numbers, ideographs and kana runs as ICU's word
/// break rules find them, in `locale`'s rules (Mandarin and Thai use dictionaries), without
/// spaces and punctuation. Writes the UTF-16 start and end of each word, at most `capacity`
/// of them, and returns how many there are (capacity = length is always enough).
int32_t cicu_word_boundaries(const uint16_t *_Nullable text, int32_t length, const char *_Nonnull locale,
                             int32_t *_Nullable starts, int32_t *_Nullable ends, int32_t capacity,
                             int32_t *_Nonnull status);

#ifdef __cplusplus
}
#endif

#endif
