<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="en_US">
<context>
    <name>ExportDialog</name>
    <message numerus="yes">
        <source>%n page(s)</source>
        <translation>
            <numerusform>%n page</numerusform>
            <numerusform>%n pages</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Only the selection (%n item(s))</source>
        <translation>
            <numerusform>Only the selection (%n item)</numerusform>
            <numerusform>Only the selection (%n items)</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>HistoryPanel</name>
    <message numerus="yes">
        <source>%n change(s) · %1 to %2</source>
        <translation>
            <numerusform>%n change · %1 to %2</numerusform>
            <numerusform>%n changes · %1 to %2</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>LeaveHostDialog</name>
    <message numerus="yes">
        <source>%n other person(s) in it right now.</source>
        <translation>
            <numerusform>%n other person is in it right now.</numerusform>
            <numerusform>%n other people are in it right now.</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>NetworkServerCard</name>
    <message numerus="yes">
        <source>%n person(s)</source>
        <translation>
            <numerusform>%n person</numerusform>
            <numerusform>%n people</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>NoticeBar</name>
    <message numerus="yes">
        <source>%n change(s) were refused in all.</source>
        <translation>
            <numerusform>%n change was refused in all.</numerusform>
            <numerusform>%n changes were refused in all.</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>RoomPage</name>
    <message numerus="yes">
        <source>Chat, %n unread</source>
        <translation>
            <numerusform>Chat, %n unread</numerusform>
            <numerusform>Chat, %n unread</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n change(s) not yet saved by the server</source>
        <translation>
            <numerusform>%n change not yet saved by the server</numerusform>
            <numerusform>%n changes not yet saved by the server</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Copied %n item(s)</source>
        <translation>
            <numerusform>Copied %n item</numerusform>
            <numerusform>Copied %n items</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n online</source>
        <translation>
            <numerusform>%n online</numerusform>
            <numerusform>%n online</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>SyncHealthPanel</name>
    <message numerus="yes">
        <source>%n change(s), the oldest for %1 s</source>
        <translation>
            <numerusform>%n change, waiting for %1 s</numerusform>
            <numerusform>%n changes, the oldest for %1 s</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>inkroom::client::Outbox</name>
    <message numerus="yes">
        <source>%n unsent change(s) in the journal could not be read and were dropped.</source>
        <translation>
            <numerusform>%n unsent change in the journal could not be read and was dropped.</numerusform>
            <numerusform>%n unsent changes in the journal could not be read and were dropped.</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>inkroom::client::RefusalsModel</name>
    <message numerus="yes">
        <source>%n item(s)</source>
        <translation>
            <numerusform>%n item</numerusform>
            <numerusform>%n items</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>inkroom::client::ReplayModel</name>
    <message numerus="yes">
        <source>undid someone&apos;s last %n change(s)</source>
        <translation>
            <numerusform>undid someone&apos;s last change</numerusform>
            <numerusform>undid someone&apos;s last %n changes</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>erased %n item(s)</source>
        <translation>
            <numerusform>erased an item</numerusform>
            <numerusform>erased %n items</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>moved %n item(s)</source>
        <translation>
            <numerusform>moved an item</numerusform>
            <numerusform>moved %n items</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>restacked %n item(s)</source>
        <translation>
            <numerusform>restacked %n item</numerusform>
            <numerusform>restacked %n items</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>inkroom::client::Session</name>
    <message numerus="yes">
        <source>%n change(s) waiting</source>
        <translation>
            <numerusform>%n change waiting</numerusform>
            <numerusform>%n changes waiting</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Online — sending %n change(s), about %1 s left</source>
        <translation>
            <numerusform>Online — sending %n change, about %1 s left</numerusform>
            <numerusform>Online — sending %n changes, about %1 s left</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Online — sending %n change(s)</source>
        <translation>
            <numerusform>Online — sending %n change</numerusform>
            <numerusform>Online — sending %n changes</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n change(s) of yours were not delivered; they are still shown here.</source>
        <translation>
            <numerusform>%n change of yours was not delivered; it is still shown here.</numerusform>
            <numerusform>%n changes of yours were not delivered; they are still shown here.</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>inkroom::ui</name>
    <message numerus="yes">
        <source>“%1” for %n person(s)</source>
        <translation>
            <numerusform>“%1” for %n person</numerusform>
            <numerusform>“%1” for %n people</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>inkroom::ui::BoardClipboard</name>
    <message numerus="yes">
        <source>%n item(s) from an Inkroom board</source>
        <translation>
            <numerusform>%n item from an Inkroom board</numerusform>
            <numerusform>%n items from an Inkroom board</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n picture(s) from another room were left out: this computer does not have them. Copy the picture itself instead.</source>
        <translation>
            <numerusform>%n picture from another room was left out: this computer does not have it. Copy the picture itself instead.</numerusform>
            <numerusform>%n pictures from another room were left out: this computer does not have them. Copy the pictures themselves instead.</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>inkroom::ui::RecentRooms</name>
    <message numerus="yes">
        <source>On this network now, %n person(s) in it</source>
        <translation>
            <numerusform>On this network now, %n person in it</numerusform>
            <numerusform>On this network now, %n people in it</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Opened %n day(s) ago</source>
        <translation>
            <numerusform>Opened %n day ago</numerusform>
            <numerusform>Opened %n days ago</numerusform>
        </translation>
    </message>
</context>
</TS>
