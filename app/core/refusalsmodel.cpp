#include "refusalsmodel.h"

namespace inkroom::client {

using proto::ErrorCode;
using proto::OpKind;

namespace {

// Whole phrases per kind, not a kind put into a phrase: other languages inflect the article with the noun.
QString addedText(proto::ItemKind kind)
{
    switch (kind) {
    case proto::ItemKind::Stroke:
        return RefusalsModel::tr("A new stroke");
    case proto::ItemKind::Line:
        return RefusalsModel::tr("A new line");
    case proto::ItemKind::Arrow:
        return RefusalsModel::tr("A new arrow");
    case proto::ItemKind::Rect:
        return RefusalsModel::tr("A new box");
    case proto::ItemKind::Ellipse:
        return RefusalsModel::tr("A new ellipse");
    case proto::ItemKind::Text:
        return RefusalsModel::tr("A new text");
    case proto::ItemKind::Image:
        return RefusalsModel::tr("A new picture");
    }
    return {};
}

QString changedText(proto::ItemKind kind)
{
    switch (kind) {
    case proto::ItemKind::Stroke:
        return RefusalsModel::tr("A change to a stroke");
    case proto::ItemKind::Line:
        return RefusalsModel::tr("A change to a line");
    case proto::ItemKind::Arrow:
        return RefusalsModel::tr("A change to an arrow");
    case proto::ItemKind::Rect:
        return RefusalsModel::tr("A change to a box");
    case proto::ItemKind::Ellipse:
        return RefusalsModel::tr("A change to an ellipse");
    case proto::ItemKind::Text:
        return RefusalsModel::tr("A change to a text");
    case proto::ItemKind::Image:
        return RefusalsModel::tr("A change to a picture");
    }
    return {};
}

QString roleText(proto::Role role)
{
    switch (role) {
    case proto::Role::Owner:
        return RefusalsModel::tr("owner");
    case proto::Role::Editor:
        return RefusalsModel::tr("editor");
    case proto::Role::Viewer:
        return RefusalsModel::tr("viewer");
    }
    return {};
}

QString itemCount(qsizetype n)
{
    return RefusalsModel::tr("%n item(s)", nullptr, int(n));
}

} // namespace

int RefusalsModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_refusals.size());
}

QVariant RefusalsModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const Refusal &r = m_refusals.at(index.row());
    switch (role) {
    case Qt::DisplayRole:
    case WhatRole:
        return r.what;
    case WhyRole:
        return r.why;
    case CodeRole:
        return proto::errorCodeName(r.code);
    case TimeRole:
        return r.when;
    default:
        return {};
    }
}

QHash<int, QByteArray> RefusalsModel::roleNames() const
{
    return {{WhatRole, "what"}, {WhyRole, "why"}, {CodeRole, "code"}, {TimeRole, "time"}};
}

QString RefusalsModel::latest() const
{
    if (m_refusals.isEmpty())
        return {};
    const Refusal &r = m_refusals.constLast();
    return tr("%1 was refused: %2").arg(r.what, r.why);
}

QString RefusalsModel::describe(const proto::Op &op)
{
    switch (op.kind) {
    case OpKind::Add:
        return addedText(op.item.kind);
    case OpKind::Update:
        return changedText(op.item.kind);
    case OpKind::Remove:
        return tr("Removing %1").arg(itemCount(op.ids.size()));
    case OpKind::Move:
        return tr("Moving %1").arg(itemCount(op.ids.size()));
    case OpKind::Restack:
        return tr("Bringing forward or sending back %1").arg(itemCount(op.ids.size()));
    case OpKind::Clear:
        return tr("Clearing the board");
    case OpKind::Chat: {
        QString text = op.text.simplified();
        if (text.size() > 40)
            text = text.left(39) + QChar(0x2026);
        return tr("The chat message \u201c%1\u201d").arg(text);
    }
    case OpKind::Direct: {
        QString text = op.text.simplified();
        if (text.size() > 40)
            text = text.left(39) + QChar(0x2026);
        return tr("The direct message \u201c%1\u201d").arg(text);
    }
    case OpKind::SetRole:
        return tr("Giving somebody the role %1").arg(roleText(op.role));
    case OpKind::SetDefaultRole:
        return tr("Giving newcomers the role %1").arg(roleText(op.role));
    case OpKind::Lock:
        return tr("Locking the board");
    case OpKind::Unlock:
        return tr("Unlocking the board");
    case OpKind::Kick:
        return op.ban ? tr("Banning somebody from the room") : tr("Removing somebody from the room");
    case OpKind::Rollback:
        return tr("Undoing somebody's last changes");
    }
    return {};
}

QString RefusalsModel::explain(const proto::Reject &reject)
{
    QString why;
    switch (reject.code) {
    case ErrorCode::BoardFull:
        why = tr("the board holds as many items as the server allows; remove some first");
        break;
    case ErrorCode::NotYourItem:
        why = tr("it would have taken over an item id that belongs to somebody else");
        break;
    case ErrorCode::ItemExists:
        why = tr("an item with the same id is already on the board");
        break;
    case ErrorCode::NotJoined:
        why = tr("it was sent before the room was joined");
        break;
    default:
        // No words of our own for it: the server's are the best there are.
        why = tr("the server does not accept it (%1)").arg(proto::errorCodeDescription(reject.code));
        if (!reject.message.isEmpty())
            why += tr(". The server said: %1").arg(reject.message);
        break;
    }
    return why;
}

const Refusal &RefusalsModel::add(const proto::Op &op, const proto::Reject &reject)
{
    Refusal r;
    r.cseq = op.cseq;
    r.kind = op.kind;
    r.what = describe(op);
    r.why = explain(reject);
    r.code = reject.code;
    r.when = QDateTime::currentDateTime();
    beginInsertRows(QModelIndex(), int(m_refusals.size()), int(m_refusals.size()));
    m_refusals.append(r);
    endInsertRows();
    Q_EMIT countChanged();
    return m_refusals.constLast();
}

void RefusalsModel::dismiss(int row)
{
    if (row < 0 || row >= m_refusals.size())
        return;
    beginRemoveRows(QModelIndex(), row, row);
    m_refusals.removeAt(row);
    endRemoveRows();
    Q_EMIT countChanged();
}

void RefusalsModel::clear()
{
    if (m_refusals.isEmpty())
        return;
    beginResetModel();
    m_refusals.clear();
    endResetModel();
    Q_EMIT countChanged();
}

} // namespace inkroom::client
