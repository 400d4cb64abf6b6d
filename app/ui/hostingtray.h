#pragma once

#include <QObject>
#include <QString>

#include <memory>

QT_BEGIN_NAMESPACE
class QMenu;
class QSystemTrayIcon;
QT_END_NAMESPACE

namespace inkroom::ui {

/** @brief The system tray entry of a room served in the background: "Hosting 'design' for 4 people", with Open and
 *  Stop hosting.
 *
 * Only where a tray exists: the application is a QApplication (QSystemTrayIcon is a Qt Widgets class) and the desktop
 * has a tray (QSystemTrayIcon::isSystemTrayAvailable()). Elsewhere available() is false and nothing is shown: the
 * window stays open with its "still hosting" state instead.
 */
class HostingTray : public QObject
{
    Q_OBJECT

public:
    explicit HostingTray(QObject *parent = nullptr);
    ~HostingTray() override;

    //! Can the app live in the tray here?
    [[nodiscard]] static bool available();

    //! Show the entry for room with people in it (updates it when shown); does nothing when !available().
    void show(const QString &room, int people);
    void hide();
    [[nodiscard]] bool isShown() const;

Q_SIGNALS:
    //! The user clicked the entry or chose Open Inkroom.
    void openRequested();
    //! The user chose Stop hosting (close the room for everyone).
    void stopRequested();

private:
    std::unique_ptr<QMenu> m_menu;
    std::unique_ptr<QSystemTrayIcon> m_icon;
};

//! "“design” for 4 people": what is hosted, in the words the tray and the window's still-hosting state both use.
[[nodiscard]] QString hostingSummary(const QString &room, int people);

} // namespace inkroom::ui
