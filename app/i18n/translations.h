#pragma once

#include <QLocale>
#include <QString>

class QCoreApplication;

namespace inkroom::i18n {

/** @brief Installs the app's translations for locale (the system's language by default, as KDE applications do):
 *  always the English plural forms, then the complete translation of the first of the locale's languages that has
 *  one, and Qt's own translations for its standard dialogs where the system has them.
 *
 * Returns the language whose complete translation was installed ("de"), or an empty string for English. Call once,
 * before the first window is made. Translators are children of app.
 */
QString install(QCoreApplication &app, const QLocale &locale = QLocale());

//! The languages with a complete translation, as language codes ("de").
[[nodiscard]] QStringList available();

} // namespace inkroom::i18n
