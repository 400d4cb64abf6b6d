#pragma once

#include "protocol.h"

#include "session.h"

#include <QObject>
#include <QPointF>
#include <QPointer>
#include <QtQmlIntegration/qqmlintegration.h>

QT_BEGIN_NAMESPACE
class QMimeData;
QT_END_NAMESPACE

namespace inkroom::ui {

/** @brief Copy, paste and duplicate of board items, within a room and between rooms (two windows, or one app
 * later in another room), through the system clipboard.
 *
 * What is copied goes on the clipboard twice: in the app's own type (mimeType(), the items as a protocol snapshot,
 * so pasting decodes them with exactly the rules a server uses) and as plain text (the texts of text items, or a
 * line that says what was copied) for other programs. Pasting gives every item a fresh id, places the items (at a
 * point, or a little down and right of the last paste) and is one undoable step. Without items on the clipboard,
 * a picture is pasted as a picture, and plain text as a text item.
 */
class BoardClipboard : public QObject
{
    Q_OBJECT
    QML_ELEMENT
    Q_PROPERTY(inkroom::client::Session *session READ session WRITE setSession NOTIFY sessionChanged)
    //! The clipboard holds something paste() can put on the board (items, a picture or text).
    Q_PROPERTY(bool canPaste READ canPaste NOTIFY canPasteChanged)

public:
    //! How far each paste of the same items lands from the last one, in board units.
    static constexpr double PasteOffset = 24.0;
    //! Items one copy carries at most (one snapshot chunk).
    static constexpr int MaxItems = 1000;

    explicit BoardClipboard(QObject *parent = nullptr);

    [[nodiscard]] client::Session *session() const { return m_session; }
    void setSession(client::Session *session);
    [[nodiscard]] bool canPaste() const;

    //! The app's own clipboard type.
    [[nodiscard]] static QString mimeType();
    //! The clipboard contents for these items (bottom to top): the app's type and plain text.
    [[nodiscard]] static QMimeData *mimeDataFor(const QList<proto::Item> &items);
    /** The items on a clipboard in the app's type, checked as a server checks them; nullopt when there are none or
     *  they do not decode (error says why). */
    [[nodiscard]] static std::optional<QList<proto::Item>> itemsFrom(const QMimeData *data, QString *error = nullptr);
    //! The items moved by (dx, dy), coordinates kept within the board.
    [[nodiscard]] static QList<proto::Item> translated(QList<proto::Item> items, QPointF by);

    //! Copy the items with these ids (as shown, bottom to top). Returns how many were copied.
    Q_INVOKABLE int copy(const QStringList &ids);
    //! Copy, then remove them (one undoable step). Returns how many were cut.
    Q_INVOKABLE int cut(const QStringList &ids);
    /** Paste: items (centred on at when atPoint, else a step down and right of the last paste), else a picture
     *  (centred on at), else text as a text item at at in textColour and textSize. Returns the new items' ids. */
    Q_INVOKABLE QStringList paste(QPointF at, bool atPoint, const QColor &textColour, double textSize);
    //! Copies of the items, a step down and right, in one undoable step (the clipboard is untouched).
    Q_INVOKABLE QStringList duplicate(const QStringList &ids);

Q_SIGNALS:
    void sessionChanged();
    void canPasteChanged();
    //! Something to tell the user in passing ("There is nothing to paste.").
    void notice(const QString &message);

private:
    [[nodiscard]] QList<proto::Item> shownItems(const QStringList &ids) const;
    QStringList place(const QList<proto::Item> &items);

    QPointer<client::Session> m_session;
    QByteArray m_lastPasted; //!< the clipboard bytes pasted last (the next paste of them lands further on)
    int m_pasteCount = 0;
};

} // namespace inkroom::ui
