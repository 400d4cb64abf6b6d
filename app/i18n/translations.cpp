#include "translations.h"

#include <QCoreApplication>
#include <QDir>
#include <QLibraryInfo>
#include <QTranslator>

using namespace Qt::StringLiterals;

namespace inkroom::i18n {

namespace {

bool installFile(QCoreApplication &app, const QString &path)
{
    auto *translator = new QTranslator(&app);
    if (translator->load(path)) {
        QCoreApplication::installTranslator(translator);
        return true;
    }
    delete translator;
    return false;
}

} // namespace

QStringList available()
{
    QStringList languages;
    const QStringList files = QDir(u":/i18n"_s).entryList({u"inkroom_*.qm"_s}, QDir::Files, QDir::Name);
    for (const QString &file : files) {
        const QString language = file.mid(8).chopped(3); // inkroom_de.qm
        if (language != "en"_L1)
            languages.append(language);
    }
    return languages;
}

QString install(QCoreApplication &app, const QLocale &locale)
{
    // The English plural forms first: translators installed later are asked first.
    installFile(app, u":/i18n/inkroom_en.qm"_s);
    const QStringList languages = available();
    for (const QString &name : locale.uiLanguages()) {
        const QString language = QLocale(name).name().section(u'_', 0, 0);
        if (language == "en"_L1)
            return {};
        if (!languages.contains(language))
            continue;
        installFile(app, u":/i18n/inkroom_%1.qm"_s.arg(language));
        // Qt's own texts (the colour and file dialogs' buttons), from Debian's qt6-translations-l10n when present.
        installFile(app, QLibraryInfo::path(QLibraryInfo::TranslationsPath) + u"/qtbase_%1.qm"_s.arg(language));
        return language;
    }
    return {};
}

} // namespace inkroom::i18n
