#include "boardclipboard.h"

#include "boarddocument.h"
#include "protocollimits.h"
#include "session.h"

#include <QClipboard>
#include <QGuiApplication>
#include <QMimeData>

#include <algorithm>

using namespace Qt::StringLiterals;

namespace inkroom::ui {

using proto::Item;

namespace {

QClipboard *systemClipboard()
{
    return QGuiApplication::clipboard();
}

//! Plain text for other programs: what the text items say, or what was copied.
QString plainTextOf(const QList<Item> &items)
{
    QStringList texts;
    for (const Item &item : items) {
        if (item.kind == proto::ItemKind::Text)
            texts.append(item.text);
    }
    if (!texts.isEmpty())
        return texts.join("\n\n"_L1);
    return BoardClipboard::tr("%n item(s) from an Inkroom board", nullptr, int(items.size()));
}

} // namespace

BoardClipboard::BoardClipboard(QObject *parent)
    : QObject(parent)
{
    if (QClipboard *clipboard = systemClipboard())
        connect(clipboard, &QClipboard::dataChanged, this, &BoardClipboard::canPasteChanged);
}

void BoardClipboard::setSession(client::Session *session)
{
    if (m_session == session)
        return;
    m_session = session;
    Q_EMIT sessionChanged();
}

bool BoardClipboard::canPaste() const
{
    const QClipboard *clipboard = systemClipboard();
    const QMimeData *data = clipboard ? clipboard->mimeData() : nullptr;
    return data
        && (data->hasFormat(mimeType()) || data->hasImage() || data->hasUrls() || !data->text().trimmed().isEmpty());
}

QString BoardClipboard::mimeType()
{
    return u"application/x-inkroom-items"_s;
}

QMimeData *BoardClipboard::mimeDataFor(const QList<Item> &items)
{
    auto *data = new QMimeData;
    proto::Snapshot snapshot;
    snapshot.items = items;
    for (Item &item : snapshot.items)
        item.z = 0;
    data->setData(mimeType(), proto::encode(snapshot));
    data->setText(plainTextOf(items));
    return data;
}

std::optional<QList<Item>> BoardClipboard::itemsFrom(const QMimeData *data, QString *error)
{
    if (!data || !data->hasFormat(mimeType()))
        return std::nullopt;
    // Another program may have put anything under our type: it is read as a server reads a client's message.
    const proto::DecodeResult decoded = proto::decode(data->data(mimeType()), limits::MaxServerMessageBytes);
    if (!decoded.ok() || proto::typeOf(decoded.message()) != proto::MessageType::Snapshot) {
        if (error)
            *error = decoded.ok() ? tr("they are not board items") : decoded.error().message;
        return std::nullopt;
    }
    QList<Item> items = std::get<proto::Snapshot>(decoded.message()).items;
    if (items.isEmpty()) {
        if (error)
            *error = tr("there are no items");
        return std::nullopt;
    }
    return items;
}

QList<Item> BoardClipboard::translated(QList<Item> items, QPointF by)
{
    for (Item &item : items) {
        for (QPointF &p : item.points) {
            p.setX(std::clamp(p.x() + by.x(), -limits::MaxCoordinate, limits::MaxCoordinate));
            p.setY(std::clamp(p.y() + by.y(), -limits::MaxCoordinate, limits::MaxCoordinate));
        }
    }
    return items;
}

QList<Item> BoardClipboard::shownItems(const QStringList &ids) const
{
    QList<Item> items;
    if (!m_session)
        return items;
    for (const QString &id : ids) {
        if (const Item *item = m_session->board()->item(id))
            items.append(*item);
    }
    std::sort(items.begin(), items.end(),
              [](const Item &a, const Item &b) { return a.z != b.z ? a.z < b.z : a.id < b.id; });
    return items;
}

int BoardClipboard::copy(const QStringList &ids)
{
    QList<Item> items = shownItems(ids);
    if (items.isEmpty())
        return 0;
    if (items.size() > MaxItems) {
        Q_EMIT notice(tr("Only the top %1 of the %2 selected items were copied.").arg(MaxItems).arg(items.size()));
        items = items.mid(items.size() - MaxItems);
    }
    QMimeData *data = mimeDataFor(items);
    // The first paste of what was just copied lands a step away from the originals, not on them.
    m_lastPasted = data->data(mimeType());
    m_pasteCount = 0;
    if (QClipboard *clipboard = systemClipboard())
        clipboard->setMimeData(data);
    else
        delete data;
    return int(items.size());
}

int BoardClipboard::cut(const QStringList &ids)
{
    const int copied = copy(ids);
    if (copied > 0 && m_session)
        m_session->removeItems(ids);
    return copied;
}

QStringList BoardClipboard::paste(QPointF at, bool atPoint, const QColor &textColour, double textSize)
{
    if (!m_session)
        return {};
    if (m_session->viewOnly()) {
        Q_EMIT notice(m_session->viewOnlyReason());
        return {};
    }
    const QClipboard *clipboard = systemClipboard();
    const QMimeData *data = clipboard ? clipboard->mimeData() : nullptr;
    if (data && data->hasFormat(mimeType())) {
        QString error;
        const std::optional<QList<Item>> items = itemsFrom(data, &error);
        if (!items) {
            Q_EMIT notice(tr("What is on the clipboard cannot be pasted: %1").arg(error));
            return {};
        }
        QPointF by;
        if (atPoint) {
            QRectF bounds;
            for (const Item &item : *items)
                bounds = bounds.united(client::itemBounds(item));
            by = at - bounds.center();
            m_lastPasted.clear();
        } else {
            const QByteArray bytes = data->data(mimeType());
            m_pasteCount = bytes == m_lastPasted ? m_pasteCount + 1 : 1;
            m_lastPasted = bytes;
            by = QPointF(PasteOffset, PasteOffset) * m_pasteCount;
        }
        return place(translated(*items, by));
    }
    if (m_session->clipboardHasImage()) {
        m_session->pasteImage(at);
        return {};
    }
    QString text = data ? data->text() : QString();
    text.replace("\r\n"_L1, "\n"_L1);
    text = text.left(limits::MaxTextItemLength);
    text.removeIf([](QChar c) { return c.category() == QChar::Other_Control && c != u'\n' && c != u'\t'; });
    if (text.trimmed().isEmpty()) {
        Q_EMIT notice(tr("There is nothing on the clipboard to paste."));
        return {};
    }
    const QString id = m_session->addText(at, text, textColour, textSize);
    return id.isEmpty() ? QStringList() : QStringList {id};
}

QStringList BoardClipboard::duplicate(const QStringList &ids)
{
    const QList<Item> items = shownItems(ids);
    if (items.isEmpty())
        return {};
    return place(translated(items, QPointF(PasteOffset, PasteOffset)));
}

QStringList BoardClipboard::place(const QList<Item> &items)
{
    int leftOut = 0;
    const QStringList ids = m_session->addItems(items, &leftOut);
    if (leftOut > 0)
        Q_EMIT notice(tr("%n picture(s) from another room were left out: this computer does not have them. Copy the "
                         "picture itself instead.",
                         nullptr, leftOut));
    return ids;
}

} // namespace inkroom::ui
