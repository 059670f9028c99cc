## Common texts: greeting, menu, help, errors.

start-greeting =
    Hello! I help staff of schools, kindergartens, colleges, universities and education authorities confirm their employee profile and join their organization's community.
    Choose what to do:
menu-title = Main menu. What would you like to do?
unknown-input = I did not understand that. Please choose an action from the menu below.
button-stale = This button is out of date
button-stale-menu = That button is out of date. Here is the current menu:
error-generic = Something went wrong, we are looking into it. Please try again a little later.
no-rights = Not allowed
menu-home = Menu
menu-back = Back
menu-cancel = Cancel
menu-apply = Confirm my profile
menu-code = I have an invitation
menu-my-applications = My applications
menu-profile = My profile
menu-contacts = Organization contacts
menu-help = Help
menu-review = { $count ->
    [0] Applications
   *[other] Applications ({ $count })
}
menu-invitations = Invitations
menu-manage = Manage
menu-organizations = Organizations
help-text =
    How to confirm your employee profile:
    1. Tap "Confirm my profile" and find your organization by name, city or INN.
    2. Choose your role, enter your full name as in your documents, and your position.
    3. Check the application and send it. An administrator of the organization will review it, and I will tell you the decision.
    If an administrator sent you an invitation link, just open it, or tap "I have an invitation" and send the code.
    Once confirmed, you get the staff badge and access to your organization's contacts. If you work in several organizations, confirm your profile in each.
    Write "Start" to open the menu.

# Who a person is in their messenger: a VK page, a MAX account (MAX shows no page by id).
person-ref = { $messenger ->
        [max] MAX id { $ref }
       *[other] vk.com/id{ $ref }
    }
person-link = { $messenger ->
        [max] MAX id { $ref }
       *[other] https://vk.com/id{ $ref }
    }
