pragma ComponentBehavior: Bound
import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import Inkroom.Ui

// Invite somebody: the link, the join code and the server's whole fingerprint, each with its own copy button
// that says when it copied. Every member has it, not only the host.
Dialog {
    id: dialog
    objectName: "inviteDialog"

    required property InviteDetails details

    modal: true
    anchors.centerIn: Overlay.overlay
    width: Math.min(620, (parent ? parent.width : 620) - 40)
    title: qsTr("Invite people")
    standardButtons: Dialog.Close
    footer: DialogButtons {}

    component Field: ColumnLayout {
        id: field
        required property string label
        required property string value
        required property string what
        property string hint: ""
        //! The value as shown, where it reads better laid out (the copy is always the value itself).
        property string shown: value
        property bool wrapAnywhere: false
        visible: value.length > 0
        Layout.fillWidth: true
        spacing: 4
        Label {
            text: field.label
            font.weight: Font.DemiBold
        }
        RowLayout {
            Layout.fillWidth: true
            spacing: 8
            // Selectable, so it can be read out, compared character by character, or copied in part.
            TextEdit {
                objectName: field.what + "Text"
                Layout.fillWidth: true
                // Wrapped at the width the row gives it: the row is as high as the wrapped text.
                Layout.preferredHeight: contentHeight
                text: field.shown
                readOnly: true
                selectByMouse: true
                textFormat: TextEdit.PlainText
                wrapMode: field.wrapAnywhere ? TextEdit.WrapAnywhere : TextEdit.Wrap
                font.family: "monospace"
                color: palette.text
                selectionColor: palette.highlight
                selectedTextColor: palette.highlightedText
                Accessible.name: field.label
            }
            ActionButton {
                objectName: field.what + "CopyButton"
                focusPolicy: Qt.TabFocus
                text: dialog.details.copied === field.what ? qsTr("Copied") : qsTr("Copy")
                icon.name: dialog.details.copied === field.what ? "dialog-ok-apply" : "edit-copy"
                onClicked: dialog.details.copy(field.what)
                Accessible.name: qsTr("Copy the %1").arg(field.label.toLowerCase())
            }
        }
        Label {
            visible: field.hint.length > 0
            Layout.fillWidth: true
            text: field.hint
            wrapMode: Text.WordWrap
            opacity: 0.7
            font.pixelSize: 12
        }
    }

    ColumnLayout {
        anchors.fill: parent
        spacing: 16
        Label {
            Layout.fillWidth: true
            visible: dialog.details.link.length === 0
            wrapMode: Text.WordWrap
            text: qsTr("There is no link while the room's address is not known.")
        }
        Field {
            label: qsTr("Link")
            value: dialog.details.link
            what: "link"
            wrapAnywhere: true
            hint: qsTr("People on this network open it, or paste it on Inkroom's start page.")
        }
        Field {
            label: qsTr("Join code")
            value: dialog.details.joinCode
            what: "code"
            hint: qsTr("Read it aloud: people on this network type it on their start page instead of the link.")
        }
        Field {
            label: qsTr("Server fingerprint (SHA-256)")
            value: dialog.details.fingerprint
            shown: dialog.details.fingerprintLines
            what: "fingerprint"
            wrapAnywhere: true
            hint: qsTr("The first time people join, Inkroom asks them to trust this server: they should see exactly this fingerprint.")
        }
    }
}
