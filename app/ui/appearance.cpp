#include "appearance.h"

#include <QGuiApplication>
#include <QSettings>

using namespace Qt::StringLiterals;

namespace inkroom::ui {

namespace {

constexpr auto SettingsKey = "appearance/mode";

QString modeName(Appearance::Mode mode)
{
    switch (mode) {
    case Appearance::Light:
        return u"light"_s;
    case Appearance::Dark:
        return u"dark"_s;
    case Appearance::System:
        break;
    }
    return u"system"_s;
}

Appearance::Mode modeFromName(const QString &name)
{
    if (name == u"light"_s)
        return Appearance::Light;
    if (name == u"dark"_s)
        return Appearance::Dark;
    return Appearance::System; // also for anything a hand-edited file holds
}

//! One palette for both groups a window uses, with greyed text for the disabled group.
QPalette makePalette(QColor window, QColor windowText, QColor base, QColor alternateBase, QColor text, QColor button,
                     QColor highlight, QColor link, QColor disabledText)
{
    QPalette p;
    for (const QPalette::ColorGroup group : {QPalette::Active, QPalette::Inactive, QPalette::Disabled}) {
        const bool disabled = group == QPalette::Disabled;
        p.setColor(group, QPalette::Window, window);
        p.setColor(group, QPalette::WindowText, disabled ? disabledText : windowText);
        p.setColor(group, QPalette::Base, base);
        p.setColor(group, QPalette::AlternateBase, alternateBase);
        p.setColor(group, QPalette::Text, disabled ? disabledText : text);
        p.setColor(group, QPalette::Button, button);
        p.setColor(group, QPalette::ButtonText, disabled ? disabledText : windowText);
        p.setColor(group, QPalette::BrightText, Qt::white);
        p.setColor(group, QPalette::Highlight, disabled ? button.darker(110) : highlight);
        p.setColor(group, QPalette::HighlightedText, Qt::white);
        p.setColor(group, QPalette::Link, link);
        p.setColor(group, QPalette::LinkVisited, link.darker(120));
        p.setColor(group, QPalette::ToolTipBase, base);
        p.setColor(group, QPalette::ToolTipText, text);
        p.setColor(group, QPalette::PlaceholderText, disabledText);
        // The 3D shades the Fusion style draws frames and separators with.
        p.setColor(group, QPalette::Light, button.lighter(150));
        p.setColor(group, QPalette::Midlight, button.lighter(125));
        p.setColor(group, QPalette::Mid, button.darker(130));
        p.setColor(group, QPalette::Dark, button.darker(160));
        p.setColor(group, QPalette::Shadow, Qt::black);
    }
    return p;
}

} // namespace

Appearance::Appearance(QObject *parent)
    : QObject(parent)
    // (A GUI-less process, inkroom-cli's or a test's, has no palette to set: it keeps Qt's default.)
    , m_system(qobject_cast<QGuiApplication *>(QCoreApplication::instance()) ? QGuiApplication::palette() : QPalette())
    , m_mode(modeFromName(QSettings().value(QLatin1StringView(SettingsKey)).toString()))
{
    apply();
}

void Appearance::setMode(Mode mode)
{
    if (m_mode == mode)
        return;
    m_mode = mode;
    QSettings().setValue(QLatin1StringView(SettingsKey), modeName(mode));
    apply();
    Q_EMIT modeChanged();
}

bool Appearance::dark() const
{
    if (m_mode == System)
        return m_system.color(QPalette::Window).lightness() < 128;
    return m_mode == Dark;
}

QPalette Appearance::lightPalette()
{
    return makePalette(QColor(0xf2f2f0), QColor(0x1f1f1f), Qt::white, QColor(0xf6f6f4), QColor(0x1f1f1f),
                       QColor(0xeaeae7), QColor(0x2f6fde), QColor(0x1a5fc8), QColor(0x8a8a88));
}

QPalette Appearance::darkPalette()
{
    return makePalette(QColor(0x2b2b2e), QColor(0xe8e8e8), QColor(0x1f1f22), QColor(0x26262a), QColor(0xe8e8e8),
                       QColor(0x3a3a3e), QColor(0x3d7bea), QColor(0x7fb0ff), QColor(0x7c7c80));
}

QPalette Appearance::palette() const
{
    switch (m_mode) {
    case Light:
        return lightPalette();
    case Dark:
        return darkPalette();
    case System:
        break;
    }
    return m_system;
}

QVariantMap Appearance::colours() const
{
    static const std::pair<const char *, QPalette::ColorRole> roles[] = {
        {"window", QPalette::Window},
        {"windowText", QPalette::WindowText},
        {"base", QPalette::Base},
        {"alternateBase", QPalette::AlternateBase},
        {"text", QPalette::Text},
        {"button", QPalette::Button},
        {"buttonText", QPalette::ButtonText},
        {"brightText", QPalette::BrightText},
        {"highlight", QPalette::Highlight},
        {"highlightedText", QPalette::HighlightedText},
        {"link", QPalette::Link},
        {"linkVisited", QPalette::LinkVisited},
        {"toolTipBase", QPalette::ToolTipBase},
        {"toolTipText", QPalette::ToolTipText},
        {"placeholderText", QPalette::PlaceholderText},
        {"light", QPalette::Light},
        {"midlight", QPalette::Midlight},
        {"mid", QPalette::Mid},
        {"dark", QPalette::Dark},
        {"shadow", QPalette::Shadow},
    };
    const QPalette shown = palette();
    QVariantMap colours;
    for (const auto &[name, role] : roles) {
        const QString key = QString::fromLatin1(name);
        colours.insert(key, shown.color(QPalette::Active, role));
        colours.insert(u"disabled"_s + key.front().toUpper() + key.mid(1), shown.color(QPalette::Disabled, role));
    }
    return colours;
}

void Appearance::apply()
{
    if (qobject_cast<QGuiApplication *>(QCoreApplication::instance()))
        QGuiApplication::setPalette(palette());
}

} // namespace inkroom::ui
