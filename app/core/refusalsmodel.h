#pragma once

#include "protocol.h"

#include <QAbstractListModel>
#include <QDateTime>
#include <QtQmlIntegration/qqmlintegration.h>

namespace inkroom::client {

//! One change of ours that the room refused for good.
struct Refusal
{
    quint64 cseq = 0;
    proto::OpKind kind = proto::OpKind::Chat;
    QString what; //!< the change, in words ("Chat message “Hello”", "A new stroke")
    QString why; //!< the reason, in words
    proto::ErrorCode code = proto::ErrorCode::BadValue;
    QDateTime when;
};

/** @brief The changes the room refused for good, newest last, so that no refusal goes unseen: a view shows them
 *  until the user dismisses them.
 */
class RefusalsModel : public QAbstractListModel
{
    Q_OBJECT
    QML_ELEMENT
    QML_UNCREATABLE("RefusalsModel belongs to a Session: use session.refusals")
    Q_PROPERTY(int count READ count NOTIFY countChanged)
    //! "A new stroke was refused: the board is full." for the newest refusal; empty when there is none.
    Q_PROPERTY(QString latest READ latest NOTIFY countChanged)

public:
    enum Roles {
        WhatRole = Qt::UserRole + 1,
        WhyRole,
        CodeRole, //!< the protocol's error code ("board_full")
        TimeRole, //!< QDateTime
    };
    Q_ENUM(Roles)

    using QAbstractListModel::QAbstractListModel;

    [[nodiscard]] int rowCount(const QModelIndex &parent = QModelIndex()) const override;
    [[nodiscard]] QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    [[nodiscard]] QHash<int, QByteArray> roleNames() const override;
    [[nodiscard]] int count() const { return int(m_refusals.size()); }
    [[nodiscard]] QString latest() const;
    [[nodiscard]] const QList<Refusal> &refusals() const { return m_refusals; }

    //! The room refused op for good with reject.
    const Refusal &add(const proto::Op &op, const proto::Reject &reject);
    Q_INVOKABLE void dismiss(int row);
    Q_INVOKABLE void clear();

    //! The change, in words.
    [[nodiscard]] static QString describe(const proto::Op &op);
    //! Why it was refused, in words.
    [[nodiscard]] static QString explain(const proto::Reject &reject);

Q_SIGNALS:
    void countChanged();

private:
    QList<Refusal> m_refusals;
};

} // namespace inkroom::client
