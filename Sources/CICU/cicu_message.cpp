// MessageFormat in the CICU facade. C++ because named arguments ("{position, plural, …}")
// are only formattable through icu::MessageFormat; ICU's C API (umsg_*) is positional.
// Date and time arguments are taken out of the pattern and formatted in the caller's time
// zone (cicu_dates.hpp says why).
//
// Exceptions: ICU reports failures through UErrorCode; the only C++ exception left is
// std::bad_alloc from the small std containers, which is caught at each entry point so that
// nothing unwinds into Swift frames.

#include "CICU.h"
#include "cicu_dates.hpp"
#include "cicu_internal.hpp"

#include <memory>
#include <new>
#include <set>
#include <string>
#include <vector>

#include <unicode/fmtable.h>
#include <unicode/messagepattern.h>
#include <unicode/msgfmt.h>
#include <unicode/plurrule.h>
#include <unicode/strenum.h>
#include <unicode/timezone.h>
#include <unicode/unistr.h>

struct cicu_message {
    struct Plural {
        std::string name;
        std::string missing;  // categories not covered, space separated
        std::string unused;   // keywords that are not categories of the locale
    };
    std::unique_ptr<icu::MessageFormat> format;  // compiled from the pattern without its dates
    cicu::DateArguments dates;                   // the date and time arguments taken out of it
    std::vector<std::string> argumentNames;      // sorted, unique
    std::vector<Plural> plurals;
};

struct cicu_arguments {
    std::vector<icu::UnicodeString> names;
    std::vector<icu::Formattable> values;
};

namespace {

std::string utf8(const icu::UnicodeString &text) {
    std::string out;
    text.toUTF8String(out);
    return out;
}

/// Which of the locale's categories a plural argument leaves uncovered, and which of its
/// keywords the locale does not have. `start` is the argument's ARG_START part.
cicu_message::Plural analyzePlural(
    const icu::MessagePattern &pattern, int32_t start, const icu::Locale &locale, UErrorCode &code) {
    using Part = icu::MessagePattern::Part;
    cicu_message::Plural plural;
    plural.name = utf8(pattern.getSubstring(pattern.getPart(start + 1)));
    bool ordinal = pattern.getPart(start).getArgType() == UMSGPAT_ARG_TYPE_SELECTORDINAL;
    double offset = pattern.getPluralOffset(start + 2);

    // Walk the selectors at this nesting level, skipping each sub-message as a whole.
    std::set<std::string> keywords;
    std::vector<double> explicitValues;
    int32_t limit = pattern.getLimitPartIndex(start);
    for (int32_t i = start + 2; i < limit;) {
        const Part &part = pattern.getPart(i);
        if (part.getType() != UMSGPAT_PART_TYPE_ARG_SELECTOR) {
            i += 1;  // the "offset:" value, or the ARG_LIMIT
            continue;
        }
        const Part &next = pattern.getPart(i + 1);
        if (Part::hasNumericValue(next.getType())) {
            explicitValues.push_back(pattern.getNumericValue(next));
            i += 2;
        } else {
            keywords.insert(utf8(pattern.getSubstring(part)));
            i += 1;
        }
        i = pattern.getLimitPartIndex(i) + 1;  // i was the sub-message's MSG_START
    }

    std::unique_ptr<icu::PluralRules> rules(
        icu::PluralRules::forLocale(locale, ordinal ? UPLURAL_TYPE_ORDINAL : UPLURAL_TYPE_CARDINAL, code));
    std::unique_ptr<icu::StringEnumeration> categories(U_SUCCESS(code) ? rules->getKeywords(code) : nullptr);
    std::set<std::string> known;
    std::vector<std::string> missing;
    const char *category = nullptr;
    while (U_SUCCESS(code) && (category = categories->next(nullptr, code)) != nullptr) {
        known.insert(category);
        if (keywords.count(category) != 0) continue;
        // No keyword: still covered if explicit values match every value of the category
        // (English "one" is only 1, so "=1" covers it). Explicit values are compared before
        // the offset is subtracted, categories after. A full sample buffer means "unbounded".
        double samples[64];
        int32_t count = rules->getSamples(icu::UnicodeString(category, -1, US_INV), samples, 64, code);
        bool covered = count > 0 && count < 64;
        for (int32_t k = 0; covered && k < count; k++) {
            bool matched = false;
            for (double value : explicitValues) matched = matched || value == samples[k] + offset;
            covered = matched;
        }
        if (!covered) missing.emplace_back(category);
    }
    std::vector<std::string> unused;
    for (const auto &keyword : keywords)
        if (known.count(keyword) == 0) unused.push_back(keyword);
    cicu::sortCategories(missing);
    cicu::sortCategories(unused);
    plural.missing = cicu::joined(missing);
    plural.unused = cicu::joined(unused);
    return plural;
}

void analyze(const icu::MessagePattern &pattern, const icu::Locale &locale, cicu_message &message, UErrorCode &code) {
    std::set<std::string> names;
    for (int32_t i = 0; U_SUCCESS(code) && i < pattern.countParts(); i++) {
        const icu::MessagePattern::Part &part = pattern.getPart(i);
        switch (part.getType()) {
        case UMSGPAT_PART_TYPE_ARG_NAME:
        case UMSGPAT_PART_TYPE_ARG_NUMBER: names.insert(utf8(pattern.getSubstring(part))); break;
        case UMSGPAT_PART_TYPE_ARG_START:
            if (part.getArgType() == UMSGPAT_ARG_TYPE_PLURAL || part.getArgType() == UMSGPAT_ARG_TYPE_SELECTORDINAL)
                message.plurals.push_back(analyzePlural(pattern, i, locale, code));
            break;
        default: break;
        }
    }
    message.argumentNames.assign(names.begin(), names.end());
}

/// The time zone named `zoneID` (NULL: ICU's default); an unknown ID fails rather than
/// becoming GMT, which is what TimeZone::createTimeZone would quietly give.
std::unique_ptr<icu::TimeZone> openZone(const char *zoneID, UErrorCode &code) {
    std::unique_ptr<icu::TimeZone> zone(zoneID == nullptr ? icu::TimeZone::createDefault()
                                                          : icu::TimeZone::createTimeZone(icu::UnicodeString(zoneID, -1, US_INV)));
    if (!zone) {
        code = U_MEMORY_ALLOCATION_ERROR;
    } else if (zoneID != nullptr && *zone == icu::TimeZone::getUnknown()) {
        code = U_ILLEGAL_ARGUMENT_ERROR;
    }
    return zone;
}

}  // namespace

extern "C" cicu_message *cicu_message_open(const char *localeID, const char *zoneID, const uint16_t *pattern,
                                           int32_t length, int32_t *errorOffset, int32_t *status) {
    *errorOffset = -1;
    UErrorCode code = (UErrorCode)*status;
    if (U_FAILURE(code)) return nullptr;
    try {
        icu::Locale locale(localeID);
        icu::UnicodeString text(pattern, length);
        UParseError parseError;
        icu::MessagePattern parsed(text, &parseError, code);
        if (U_FAILURE(code)) {
            *errorOffset = parseError.offset;
            *status = code;
            return nullptr;
        }
        std::unique_ptr<icu::TimeZone> zone = openZone(zoneID, code);
        auto message = std::make_unique<cicu_message>();
        icu::UnicodeString withoutDates = U_SUCCESS(code) ? message->dates.extract(parsed, text, locale, *zone, code)
                                                          : icu::UnicodeString();
        if (U_SUCCESS(code)) {
            message->format = std::make_unique<icu::MessageFormat>(withoutDates, locale, parseError, code);
            // Offsets into the rewritten pattern mean nothing to the author of the original.
            if (U_FAILURE(code) && message->dates.empty()) *errorOffset = parseError.offset;
        }
        if (U_SUCCESS(code)) analyze(parsed, locale, *message, code);
        *status = code;
        return U_SUCCESS(code) ? message.release() : nullptr;
    } catch (const std::bad_alloc &) {
        *status = U_MEMORY_ALLOCATION_ERROR;
        return nullptr;
    }
}

extern "C" void cicu_message_close(cicu_message *message) { delete message; }

extern "C" int32_t cicu_message_argument_count(const cicu_message *message) {
    return (int32_t)message->argumentNames.size();
}

extern "C" int32_t cicu_message_argument_name(
    const cicu_message *message, int32_t index, char *dest, int32_t capacity, int32_t *status) {
    if (index < 0 || index >= (int32_t)message->argumentNames.size()) {
        *status = U_INDEX_OUTOFBOUNDS_ERROR;
        return 0;
    }
    return cicu::copyOut(message->argumentNames[(size_t)index], dest, capacity, status);
}

extern "C" int32_t cicu_message_plural_count(const cicu_message *message) {
    return (int32_t)message->plurals.size();
}

namespace {
/// The shared body of the three plural accessors: bounds check, then copy one field out.
int32_t pluralField(const cicu_message *message, int32_t index, std::string cicu_message::Plural::*field, char *dest,
                    int32_t capacity, int32_t *status) {
    if (index < 0 || index >= (int32_t)message->plurals.size()) {
        *status = U_INDEX_OUTOFBOUNDS_ERROR;
        return 0;
    }
    return cicu::copyOut(message->plurals[(size_t)index].*field, dest, capacity, status);
}
}  // namespace

extern "C" int32_t cicu_message_plural_name(
    const cicu_message *message, int32_t index, char *dest, int32_t capacity, int32_t *status) {
    return pluralField(message, index, &cicu_message::Plural::name, dest, capacity, status);
}

extern "C" int32_t cicu_message_plural_missing(
    const cicu_message *message, int32_t index, char *dest, int32_t capacity, int32_t *status) {
    return pluralField(message, index, &cicu_message::Plural::missing, dest, capacity, status);
}

extern "C" int32_t cicu_message_plural_unused(
    const cicu_message *message, int32_t index, char *dest, int32_t capacity, int32_t *status) {
    return pluralField(message, index, &cicu_message::Plural::unused, dest, capacity, status);
}

extern "C" cicu_arguments *cicu_arguments_open(void) { return new (std::nothrow) cicu_arguments(); }

extern "C" void cicu_arguments_close(cicu_arguments *arguments) { delete arguments; }

// Out of memory while adding leaves the argument out; formatting then prints "{name}" for it,
// which the Swift side has already ruled out, so it cannot reach a user.
extern "C" void cicu_arguments_add_string(
    cicu_arguments *arguments, const char *name, const uint16_t *value, int32_t length) {
    try {
        arguments->names.push_back(icu::UnicodeString::fromUTF8(name));
        arguments->values.emplace_back(icu::UnicodeString(value, length));
    } catch (const std::bad_alloc &) {
        arguments->names.resize(arguments->values.size());
    }
}

extern "C" void cicu_arguments_add_number(cicu_arguments *arguments, const char *name, double value) {
    try {
        arguments->names.push_back(icu::UnicodeString::fromUTF8(name));
        arguments->values.emplace_back(value);
    } catch (const std::bad_alloc &) {
        arguments->names.resize(arguments->values.size());
    }
}

extern "C" void cicu_arguments_add_date(cicu_arguments *arguments, const char *name, double millis) {
    try {
        arguments->names.push_back(icu::UnicodeString::fromUTF8(name));
        arguments->values.emplace_back((UDate)millis, icu::Formattable::kIsDate);
    } catch (const std::bad_alloc &) {
        arguments->names.resize(arguments->values.size());
    }
}

extern "C" int32_t cicu_message_format(
    cicu_message *message, const cicu_arguments *arguments, uint16_t *dest, int32_t capacity, int32_t *status) {
    UErrorCode code = (UErrorCode)*status;
    if (U_FAILURE(code)) return 0;
    try {
        // Copies, because the dates add their placeholders (a handful of values per message).
        std::vector<icu::UnicodeString> names(arguments->names);
        std::vector<icu::Formattable> values(arguments->values);
        message->dates.resolve(names, values, code);
        icu::UnicodeString result;
        if (U_SUCCESS(code)) message->format->format(names.data(), values.data(), (int32_t)values.size(), result, code);
        int32_t length = U_SUCCESS(code) ? result.extract(dest, capacity, code) : 0;
        *status = code;
        return length;
    } catch (const std::bad_alloc &) {
        *status = U_MEMORY_ALLOCATION_ERROR;
        return 0;
    }
}
