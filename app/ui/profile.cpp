#include "profile.h"

#include "protocol.h"

#include <QCoreApplication>
#include <QRandomGenerator>
#include <QSettings>

#include <iterator>
#include <utility>

using namespace Qt::StringLiterals;

namespace inkroom::ui {

namespace {

QString defaultName()
{
    QString user = qEnvironmentVariable("USER");
    if (user.isEmpty())
        user = qEnvironmentVariable("USERNAME");
    if (!user.isEmpty())
        user[0] = user[0].toUpper();
    return proto::isValidDisplayName(user) ? user : QCoreApplication::translate("AppController", "Guest");
}

} // namespace

Profile::Profile(const QString &nameForThisRun, QObject *parent)
    : QObject(parent)
{
    QSettings settings;
    m_displayName = settings.value(u"profile/name"_s, defaultName()).toString();
    if (!proto::isValidDisplayName(m_displayName))
        m_displayName = defaultName();
    if (!nameForThisRun.isEmpty())
        m_displayName = nameForThisRun;
    const QList<QColor> colours = palette();
    m_colour = settings.value(u"profile/colour"_s, colours.at(QRandomGenerator::global()->bounded(int(colours.size()))))
                   .value<QColor>();
    if (!m_colour.isValid())
        m_colour = colours.first();
    m_saved = settings.contains(u"profile/name"_s);
}

void Profile::setDisplayName(const QString &name)
{
    const QString trimmed = name.trimmed();
    if (trimmed == m_displayName || !proto::isValidDisplayName(trimmed))
        return;
    m_displayName = trimmed;
    Q_EMIT displayNameChanged();
    save();
}

void Profile::setColour(const QColor &colour)
{
    if (!colour.isValid() || colour == m_colour)
        return;
    m_colour = colour;
    Q_EMIT colourChanged();
    save();
}

void Profile::save()
{
    QSettings settings;
    settings.setValue(u"profile/name"_s, m_displayName);
    settings.setValue(u"profile/colour"_s, m_colour);
    if (!std::exchange(m_saved, true))
        Q_EMIT savedChanged();
}

QString Profile::colourName(const QColor &colour) const
{
    // In the order of palette(). Their translations were made when this lived in AppController: the context stays.
    static const char *const names[] = {
        QT_TRANSLATE_NOOP("AppController", "Black"),  QT_TRANSLATE_NOOP("AppController", "Red"),
        QT_TRANSLATE_NOOP("AppController", "Orange"), QT_TRANSLATE_NOOP("AppController", "Yellow"),
        QT_TRANSLATE_NOOP("AppController", "Green"),  QT_TRANSLATE_NOOP("AppController", "Teal"),
        QT_TRANSLATE_NOOP("AppController", "Blue"),   QT_TRANSLATE_NOOP("AppController", "Indigo"),
        QT_TRANSLATE_NOOP("AppController", "Purple"), QT_TRANSLATE_NOOP("AppController", "Pink"),
        QT_TRANSLATE_NOOP("AppController", "Brown"),  QT_TRANSLATE_NOOP("AppController", "Grey")};
    const QList<QColor> colours = palette();
    static_assert(std::size(names) == 12);
    for (qsizetype i = 0; i < colours.size() && i < qsizetype(std::size(names)); ++i) {
        if (colours.at(i).rgb() == colour.rgb())
            return QCoreApplication::translate("AppController", names[i]);
    }
    return colour.name(QColor::HexRgb);
}

QList<QColor> Profile::palette()
{
    return {QColor(0x1e, 0x1e, 0x1e), QColor(0xe5, 0x39, 0x35), QColor(0xfb, 0x8c, 0x00), QColor(0xf9, 0xa8, 0x25),
            QColor(0x43, 0xa0, 0x47), QColor(0x00, 0x89, 0x7b), QColor(0x1e, 0x88, 0xe5), QColor(0x39, 0x49, 0xab),
            QColor(0x8e, 0x24, 0xaa), QColor(0xd8, 0x1b, 0x60), QColor(0x6d, 0x4c, 0x41), QColor(0x75, 0x75, 0x75)};
}

} // namespace inkroom::ui
