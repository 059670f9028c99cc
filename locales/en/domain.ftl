## Names of roles, organization types, statuses and rejection reasons: shared by every section.

role-school_teacher = School teacher
role-preschool_teacher = Preschool teacher or educator
role-additional_teacher = Additional-education teacher
role-university_teacher = University lecturer
role-college_teacher = College lecturer
role-authority_employee = Education authority employee
role-manager = Head or administrative staff
role-other = Other staff

orgtype-school = School
orgtype-preschool = Kindergarten
orgtype-additional = Additional education
orgtype-college = College
orgtype-university = University
orgtype-authority = Education authority
orgtype-other = Other organization

status-pending = Under review
status-approved = Approved
status-rejected = Rejected
status-withdrawn = Withdrawn
status-expired = Expired

reason-not_employee = Does not work at the organization
reason-name_mismatch = Name does not match the documents
reason-duplicate = Duplicate application
reason-other = Other

export-yes = yes
export-staff-name = Full name
export-staff-role = Role
export-staff-position = Position
export-staff-classes = Classes
export-staff-vk = VK profile
export-staff-admin = Administrator
export-staff-since = Verified
export-app-id = Number
export-app-name = Full name
export-app-role = Role
export-app-position = Position
export-app-vk = VK profile
export-app-status = Status
export-app-reason = Reason
export-app-filed = Filed
export-app-decided = Decided

# Short role names for buttons (VK cuts a label at 40 characters): the same everywhere.
rolebtn-school_teacher = School teacher
rolebtn-preschool_teacher = Preschool teacher
rolebtn-additional_teacher = Extracurricular teacher
rolebtn-university_teacher = University lecturer
rolebtn-college_teacher = College lecturer
rolebtn-authority_employee = Education authority
rolebtn-manager = Head, administration
rolebtn-other = Other staff
