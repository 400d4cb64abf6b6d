// The translations as users meet them: the system's language picks the German one, plural forms read right in German
// and in English, and no text that users see is left untranslated. The last check runs lupdate over the sources
// (the list app/i18n writes), so a new or changed text without a finished German translation fails here, not in
// front of a German-speaking class.
#include "translations.h"

#include <QCoreApplication>
#include <QFile>
#include <QProcess>
#include <QRegularExpression>
#include <QTemporaryDir>
#include <QTest>
#include <QTranslator>
#include <QXmlStreamReader>

using namespace Qt::StringLiterals;

namespace {

struct Message
{
    QString context;
    QString source;
    bool numerus = false;
    QString type; //!< "unfinished", "vanished", "obsolete" or empty for finished
    QStringList forms; //!< one, or one per plural form
};

QList<Message> readTs(const QString &path, QString *error)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly)) {
        *error = file.errorString();
        return {};
    }
    QList<Message> messages;
    QString context;
    QXmlStreamReader xml(&file);
    // <TS><context><name/><message numerus=".."><source/><translation type=".."><numerusform/>...</translation>
    while (!xml.atEnd()) {
        if (xml.readNext() != QXmlStreamReader::StartElement)
            continue;
        if (xml.name() == "name"_L1) {
            context = xml.readElementText();
        } else if (xml.name() == "message"_L1) {
            Message message;
            message.context = context;
            message.numerus = xml.attributes().value(u"numerus"_s) == "yes"_L1;
            while (xml.readNextStartElement()) {
                if (xml.name() == "source"_L1) {
                    message.source = xml.readElementText();
                } else if (xml.name() == "translation"_L1) {
                    message.type = xml.attributes().value(u"type"_s).toString();
                    if (message.numerus) {
                        while (xml.readNextStartElement())
                            message.forms.append(xml.readElementText());
                    } else {
                        message.forms.append(xml.readElementText());
                    }
                } else {
                    xml.skipCurrentElement();
                }
            }
            messages.append(message);
        }
    }
    if (xml.hasError())
        *error = xml.errorString();
    return messages;
}

//! The %1 ... %99 a text has, sorted and without repeats.
QStringList placeholders(const QString &text)
{
    static const QRegularExpression marker(u"%(\\d{1,2})"_s);
    QStringList found;
    for (auto it = marker.globalMatch(text); it.hasNext();) {
        const QString m = it.next().captured(0);
        if (!found.contains(m))
            found.append(m);
    }
    found.sort();
    return found;
}

QString translated(const char *context, const char *source, int n = -1)
{
    return QCoreApplication::translate(context, source, nullptr, n);
}

void removeTranslators()
{
    for (QTranslator *t : QCoreApplication::instance()->findChildren<QTranslator *>()) {
        QCoreApplication::removeTranslator(t);
        delete t;
    }
}

} // namespace

class TestTranslations : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void cleanup() { removeTranslators(); }

    void germanFollowsTheSystemLanguage()
    {
        QVERIFY(inkroom::i18n::available().contains(u"de"_s));
        QCOMPARE(inkroom::i18n::install(*QCoreApplication::instance(), QLocale(u"de_AT"_s)), u"de"_s);
        QCOMPARE(translated("BoardToolbar", "Pen"), u"Stift"_s);
        QCOMPARE(translated("StartPage", "Host"), u"Bereitstellen"_s);
        // Plural forms, German's own.
        QCOMPARE(translated("inkroom::client::Session", "%n change(s) waiting", 1), u"1 Änderung wartet"_s);
        QCOMPARE(translated("inkroom::client::Session", "%n change(s) waiting", 12), u"12 Änderungen warten"_s);
        QCOMPARE(translated("inkroom::ui", "“%1” for %n person(s)", 1).arg(u"Design"_s), u"„Design“ für 1 Person"_s);
        // Texts made outside a class (the namespace is their context, as lupdate sees it) are translated too.
        QCOMPARE(translated("inkroom::client", "The host closed the room."),
                 u"Der Gastgeber hat den Raum geschlossen."_s);
    }

    void englishHasItsPluralForms()
    {
        QCOMPARE(inkroom::i18n::install(*QCoreApplication::instance(), QLocale(QLocale::English)), QString());
        QCOMPARE(translated("inkroom::client::Session", "%n change(s) waiting", 1), u"1 change waiting"_s);
        QCOMPARE(translated("inkroom::client::Session", "%n change(s) waiting", 12), u"12 changes waiting"_s);
        QCOMPARE(translated("NetworkServerCard", "%n person(s)", 1), u"1 person"_s);
        QCOMPARE(translated("NetworkServerCard", "%n person(s)", 3), u"3 people"_s);
        QCOMPARE(translated("BoardToolbar", "Pen"), u"Pen"_s);
    }

    void aLanguageWithoutTranslationIsEnglish()
    {
        QCOMPARE(inkroom::i18n::install(*QCoreApplication::instance(), QLocale(u"fi_FI"_s)), QString());
        QCOMPARE(translated("inkroom::client::Session", "%n change(s) waiting", 2), u"2 changes waiting"_s);
        QCOMPARE(translated("BoardToolbar", "Pen"), u"Pen"_s);
    }

    void everyGermanTranslationIsFinishedAndKeepsItsPlaceholders()
    {
        QString error;
        const QList<Message> messages = readTs(QStringLiteral(INKROOM_TS_DIR "/inkroom_de.ts"), &error);
        QVERIFY2(!messages.isEmpty(), qPrintable(error));
        for (const Message &m : messages) {
            const QString where = m.context + u": "_s + m.source;
            QVERIFY2(m.type.isEmpty(), qPrintable(u"not finished (%1): %2"_s.arg(m.type, where)));
            QCOMPARE(m.forms.size(), m.numerus ? 2 : 1); // German: one and other
            for (const QString &form : m.forms)
                QVERIFY2(!form.trimmed().isEmpty(), qPrintable(u"empty: "_s + where));
            // The plural form shows the number; %1, %2 ... are all kept (the one form may say "an item").
            QVERIFY2(placeholders(m.forms.last()) == placeholders(m.source), qPrintable(u"placeholders: "_s + where));
            if (m.numerus)
                QVERIFY2(m.forms.last().contains(u"%n"_s), qPrintable(u"%n missing: "_s + where));
        }
    }

    void noTextInTheSourcesIsLeftOut()
    {
        // lupdate over today's sources into a new file: every text it finds must be in inkroom_de.ts.
        QTemporaryDir dir;
        const QString fresh = dir.filePath(u"fresh_de.ts"_s);
        QProcess lupdate;
        lupdate.start(
            QStringLiteral(INKROOM_LUPDATE),
            {u"-locations"_s, u"none"_s, u"@"_s + QStringLiteral(INKROOM_TRANSLATABLE_LIST), u"-ts"_s, fresh});
        QVERIFY(lupdate.waitForFinished(120000));
        QVERIFY2(lupdate.exitCode() == 0, lupdate.readAllStandardError().constData());
        QString error;
        const QList<Message> found = readTs(fresh, &error);
        QVERIFY2(!found.isEmpty(), qPrintable(error));
        const QList<Message> committed = readTs(QStringLiteral(INKROOM_TS_DIR "/inkroom_de.ts"), &error);
        QSet<QString> known;
        for (const Message &m : committed)
            known.insert(m.context + QChar(1) + m.source);
        QStringList missing;
        for (const Message &m : found) {
            if (!known.contains(m.context + QChar(1) + m.source))
                missing.append(m.context + u": "_s + m.source);
        }
        QVERIFY2(missing.isEmpty(),
                 qPrintable(u"%1 texts are not in inkroom_de.ts (run the update_translations "
                            "target and translate them):\n"_s.arg(missing.size())
                            + missing.join(u'\n')));
    }
};

QTEST_GUILESS_MAIN(TestTranslations)
#include "tst_ui_translations.moc"
