#pragma once

#include <QObject>
#include <QPalette>
#include <QVariantMap>
#include <QtQmlIntegration/qqmlintegration.h>

namespace inkroom::ui {

/** @brief Light or dark: the system's choice, or the person's (View > Appearance), remembered.
 *
 * Sets the application's palette, which the Fusion style and every window follow at once. "System" is the palette the
 * platform gave when the app started. The board itself stays white in both (see RoomPage.qml): what people draw keeps
 * its colours.
 */
class Appearance : public QObject
{
    Q_OBJECT
    QML_ELEMENT
    QML_UNCREATABLE("The app's one appearance is App.appearance")
    Q_PROPERTY(Mode mode READ mode WRITE setMode NOTIFY modeChanged)
    //! What is shown: the dark palette, chosen or the system's.
    Q_PROPERTY(bool dark READ dark NOTIFY modeChanged)
    /** The palette shown, by role ("window", "text", ...; "disabledText" and the like for disabled controls): the
     *  window binds its palette to it, as Qt Quick Controls take the window's palette, not the application's. */
    Q_PROPERTY(QVariantMap colours READ colours NOTIFY modeChanged)

public:
    enum Mode {
        System,
        Light,
        Dark
    };
    Q_ENUM(Mode)

    //! Reads the remembered choice (QSettings appearance/mode) and applies it.
    explicit Appearance(QObject *parent = nullptr);

    [[nodiscard]] Mode mode() const { return m_mode; }
    void setMode(Mode mode);
    [[nodiscard]] bool dark() const;
    [[nodiscard]] QPalette palette() const;
    [[nodiscard]] QVariantMap colours() const;

    [[nodiscard]] static QPalette lightPalette();
    [[nodiscard]] static QPalette darkPalette();

Q_SIGNALS:
    void modeChanged();

private:
    void apply();

    QPalette m_system;
    Mode m_mode = System;
};

} // namespace inkroom::ui
