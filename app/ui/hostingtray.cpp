#include "hostingtray.h"

#include <QAction>
#include <QApplication>
#include <QCoreApplication>
#include <QGuiApplication>
#include <QMenu>
#include <QSystemTrayIcon>

namespace inkroom::ui {

QString hostingSummary(const QString &room, int people)
{
    const auto tr = [](const char *text) { return QCoreApplication::translate("HostingTray", text); };
    // Plural forms by hand: without a translator, tr()'s %n leaves "(s)" in the text.
    if (people <= 0)
        return tr("“%1” — nobody is in it now").arg(room);
    if (people == 1)
        return tr("“%1” for 1 person").arg(room);
    return tr("“%1” for %2 people").arg(room).arg(people);
}

HostingTray::HostingTray(QObject *parent)
    : QObject(parent)
{ }

HostingTray::~HostingTray() = default;

bool HostingTray::available()
{
    // Tests and tools run as a QGuiApplication: no widgets, so no tray, and the window keeps the state instead.
    return qobject_cast<QApplication *>(QCoreApplication::instance()) && QSystemTrayIcon::isSystemTrayAvailable();
}

void HostingTray::show(const QString &room, int people)
{
    if (!available())
        return;
    if (!m_icon) {
        m_menu = std::make_unique<QMenu>();
        QAction *open = m_menu->addAction(tr("Open Inkroom"));
        connect(open, &QAction::triggered, this, &HostingTray::openRequested);
        QAction *stop = m_menu->addAction(tr("Stop hosting (close the room for everyone)"));
        connect(stop, &QAction::triggered, this, &HostingTray::stopRequested);
        m_icon = std::make_unique<QSystemTrayIcon>(QGuiApplication::windowIcon());
        m_icon->setContextMenu(m_menu.get());
        connect(m_icon.get(), &QSystemTrayIcon::activated, this, [this](QSystemTrayIcon::ActivationReason reason) {
            if (reason == QSystemTrayIcon::Trigger || reason == QSystemTrayIcon::DoubleClick)
                Q_EMIT openRequested();
        });
    }
    m_icon->setToolTip(tr("Inkroom — hosting %1").arg(hostingSummary(room, people)));
    m_icon->show();
}

void HostingTray::hide()
{
    if (m_icon)
        m_icon->hide();
}

bool HostingTray::isShown() const
{
    return m_icon && m_icon->isVisible();
}

} // namespace inkroom::ui
