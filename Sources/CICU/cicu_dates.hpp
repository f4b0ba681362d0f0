// Date and time arguments of MessageFormat patterns, shown in a chosen time zone. Private: not
// under include/, so neither Swift nor other targets ever see it (it includes ICU).
//
// icu::MessageFormat makes the formatter of `{when, date, medium}` when it compiles the
// pattern, in ICU's default time zone (the process's, UTC in a container), and no public API
// reaches the formatters of arguments nested in plural or select branches. So the facade
// takes those arguments out of the pattern before MessageFormat sees it: each becomes a plain
// placeholder argument, formatted here with a DateFormat made the way MessageFormat would make
// it, in the zone the catalog was given.
#ifndef CICU_DATES_HPP
#define CICU_DATES_HPP

#include <memory>
#include <vector>

#include <unicode/datefmt.h>
#include <unicode/fmtable.h>
#include <unicode/locid.h>
#include <unicode/messagepattern.h>
#include <unicode/timezone.h>
#include <unicode/unistr.h>

namespace cicu {

class DateArguments {
  public:
    /// Rewrites `text` (already parsed into `pattern`): each `{x, date[, style]}` and
    /// `{x, time[, style]}`, at any depth, becomes `{_cicu_date_N}`; their formatters are made
    /// for `locale` in `zone`. Returns the pattern MessageFormat should compile.
    icu::UnicodeString extract(const icu::MessagePattern &pattern, const icu::UnicodeString &text,
                               const icu::Locale &locale, const icu::TimeZone &zone, UErrorCode &code);

    /// True when the pattern had no date or time argument.
    bool empty() const { return arguments.empty(); }

    /// Appends the text of every placeholder to `names`/`values`, from the instant given for its
    /// argument (a date, or a number of milliseconds as ICU allows). A date value left for a bare
    /// `{x}` becomes text in the zone, short date and time as MessageFormat would show it.
    /// A missing argument or a string where an instant belongs fails with U_ILLEGAL_ARGUMENT_ERROR.
    void resolve(std::vector<icu::UnicodeString> &names, std::vector<icu::Formattable> &values, UErrorCode &code);

  private:
    struct Argument {
        icu::UnicodeString name;         // as written in the pattern
        icu::UnicodeString placeholder;  // the plain argument that replaced it
        std::unique_ptr<icu::DateFormat> format;
    };
    std::vector<Argument> arguments;
    icu::Locale locale;
    std::unique_ptr<icu::TimeZone> zone;
    std::unique_ptr<icu::DateFormat> bare;  // made on first use
};

}  // namespace cicu

#endif  // CICU_DATES_HPP
