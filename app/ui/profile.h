#pragma once

#include <QColor>
#include <QList>
#include <QObject>
#include <QString>
#include <QtQmlIntegration/qqmlintegration.h>

namespace inkroom::ui {

/** @brief Who the user is in rooms: a display name and a colour, remembered in the settings.
 *
 * Loaded at start (a name from the command line wins for this run); a change is saved at once. saved tells whether
 * the user has made them theirs (changed them, or opened a room with them): the start page asks for them until then.
 */
class Profile : public QObject
{
    Q_OBJECT
    QML_ANONYMOUS
    Q_PROPERTY(QString displayName READ displayName WRITE setDisplayName NOTIFY displayNameChanged)
    Q_PROPERTY(QColor colour READ colour WRITE setColour NOTIFY colourChanged)
    Q_PROPERTY(QList<QColor> palette READ palette CONSTANT)
    Q_PROPERTY(bool saved READ isSaved NOTIFY savedChanged)

public:
    //! The profile in the settings; nameForThisRun (the command line's --name), when given, replaces its name.
    explicit Profile(const QString &nameForThisRun = QString(), QObject *parent = nullptr);

    [[nodiscard]] QString displayName() const { return m_displayName; }
    //! Trimmed; a name the protocol refuses is ignored.
    void setDisplayName(const QString &name);
    [[nodiscard]] QColor colour() const { return m_colour; }
    void setColour(const QColor &colour);
    //! The colours people choose from, in the order colourName() names them.
    [[nodiscard]] static QList<QColor> palette();
    [[nodiscard]] bool isSaved() const { return m_saved; }
    //! Keep the name and colour as the user's (they opened a room with them).
    void save();

    //! The palette's name for a colour ("Red"), translated; any other colour as #rrggbb.
    Q_INVOKABLE [[nodiscard]] QString colourName(const QColor &colour) const;

Q_SIGNALS:
    void displayNameChanged();
    void colourChanged();
    void savedChanged();

private:
    QString m_displayName;
    QColor m_colour;
    bool m_saved = false;
};

} // namespace inkroom::ui
