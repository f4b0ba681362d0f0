// See cicu_dates.hpp: date and time arguments of MessageFormat patterns in a chosen time zone.

#include "cicu_dates.hpp"

#include <string>

#include <unicode/smpdtfmt.h>

namespace cicu {

namespace {

/// A deep copy. MessagePattern::getSubstring returns a read-only alias of the pattern's text,
/// and UnicodeString's move assignment keeps it aliased: stored as it is, it would dangle once
/// the MessagePattern is gone.
icu::UnicodeString copyOf(const icu::UnicodeString &text) { return icu::UnicodeString(text.getBuffer(), text.length()); }

/// The formatter MessageFormat would make for `{x, date|time, style}` (ICU's
/// MessageFormat::createAppropriateFormat): a "::" skeleton, a style keyword, or a pattern.
std::unique_ptr<icu::DateFormat> makeFormat(bool isDate, const icu::UnicodeString &style, const icu::Locale &locale,
                                            UErrorCode &code) {
    if (U_FAILURE(code)) return nullptr;
    icu::UnicodeString trimmed(style);
    trimmed.trim();
    std::unique_ptr<icu::DateFormat> format;
    if (trimmed.startsWith(u"::")) {
        format.reset(icu::DateFormat::createInstanceForSkeleton(trimmed.tempSubString(2), locale, code));
    } else {
        static const char16_t *const keywords[] = {u"", u"short", u"medium", u"long", u"full"};
        static const icu::DateFormat::EStyle styles[] = {icu::DateFormat::kDefault, icu::DateFormat::kShort,
                                                         icu::DateFormat::kMedium, icu::DateFormat::kLong,
                                                         icu::DateFormat::kFull};
        trimmed.toLower("");
        int32_t found = -1;
        for (int32_t i = 0; i < 5 && found < 0; i++)
            if (trimmed == keywords[i]) found = i;
        icu::DateFormat::EStyle chosen = found >= 0 ? styles[found] : icu::DateFormat::kDefault;
        format.reset(isDate ? icu::DateFormat::createDateInstance(chosen, locale)
                            : icu::DateFormat::createTimeInstance(chosen, locale));
        if (found < 0 && format) {
            if (auto *simple = dynamic_cast<icu::SimpleDateFormat *>(format.get())) simple->applyPattern(style);
        }
    }
    if (U_SUCCESS(code) && !format) code = U_MEMORY_ALLOCATION_ERROR;
    return U_SUCCESS(code) ? std::move(format) : nullptr;
}

}  // namespace

icu::UnicodeString DateArguments::extract(const icu::MessagePattern &pattern, const icu::UnicodeString &text,
                                          const icu::Locale &locale, const icu::TimeZone &zone, UErrorCode &code) {
    using Part = icu::MessagePattern::Part;
    this->locale = locale;
    this->zone.reset(zone.clone());
    if (!this->zone) code = U_MEMORY_ALLOCATION_ERROR;
    icu::UnicodeString rewritten;
    int32_t copied = 0;  // text[0..<copied] is in `rewritten`
    for (int32_t i = 0; U_SUCCESS(code) && i < pattern.countParts(); i++) {
        const Part &start = pattern.getPart(i);
        if (start.getType() != UMSGPAT_PART_TYPE_ARG_START || start.getArgType() != UMSGPAT_ARG_TYPE_SIMPLE) continue;
        // ARG_START, ARG_NAME or ARG_NUMBER, ARG_TYPE, optional ARG_STYLE, ARG_LIMIT.
        icu::UnicodeString type = pattern.getSubstring(pattern.getPart(i + 2));
        bool isDate = type.caseCompare(u"date", U_FOLD_CASE_DEFAULT) == 0;
        if (!isDate && type.caseCompare(u"time", U_FOLD_CASE_DEFAULT) != 0) continue;
        const Part &maybeStyle = pattern.getPart(i + 3);
        icu::UnicodeString style;
        if (maybeStyle.getType() == UMSGPAT_PART_TYPE_ARG_STYLE) style = pattern.getSubstring(maybeStyle);

        Argument argument;
        argument.name = copyOf(pattern.getSubstring(pattern.getPart(i + 1)));
        argument.placeholder = icu::UnicodeString(("_cicu_date_" + std::to_string(arguments.size())).c_str(), -1, US_INV);
        argument.format = makeFormat(isDate, style, locale, code);
        if (U_FAILURE(code)) break;
        argument.format->setTimeZone(zone);

        int32_t limitIndex = pattern.getLimitPartIndex(i);
        const Part &limit = pattern.getPart(limitIndex);
        rewritten.append(text, copied, start.getIndex() - copied);
        rewritten.append(u'{').append(argument.placeholder).append(u'}');
        copied = limit.getIndex() + limit.getLength();
        arguments.push_back(std::move(argument));
        i = limitIndex;
    }
    rewritten.append(text, copied, text.length() - copied);
    if (rewritten.isBogus() && U_SUCCESS(code)) code = U_MEMORY_ALLOCATION_ERROR;
    return rewritten;
}

void DateArguments::resolve(std::vector<icu::UnicodeString> &names, std::vector<icu::Formattable> &values,
                            UErrorCode &code) {
    size_t given = names.size();
    for (const Argument &argument : arguments) {
        if (U_FAILURE(code)) return;
        size_t index = 0;
        while (index < given && names[index] != argument.name) index++;
        if (index == given || !(values[index].getType() == icu::Formattable::kDate || values[index].isNumeric())) {
            code = U_ILLEGAL_ARGUMENT_ERROR;
            return;
        }
        UDate when = values[index].getType() == icu::Formattable::kDate ? values[index].getDate(code)
                                                                         : values[index].getDouble(code);
        icu::UnicodeString text;
        argument.format->format(when, text);
        names.push_back(argument.placeholder);
        values.emplace_back(text);
    }
    for (size_t index = 0; U_SUCCESS(code) && index < given; index++) {
        if (values[index].getType() != icu::Formattable::kDate) continue;
        if (!bare) {
            bare.reset(icu::DateFormat::createDateTimeInstance(icu::DateFormat::kShort, icu::DateFormat::kShort, locale));
            if (!bare || !zone) {
                code = U_MEMORY_ALLOCATION_ERROR;
                return;
            }
            bare->setTimeZone(*zone);
        }
        icu::UnicodeString text;
        bare->format(values[index].getDate(code), text);
        values[index].setString(text);
    }
}

}  // namespace cicu
